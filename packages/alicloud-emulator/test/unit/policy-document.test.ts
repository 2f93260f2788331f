import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/cloud/policy-engine/document.js';
import { resourceMatches, wildcardMatch } from '../../src/cloud/policy-engine/match.js';
import { ACCT } from './policy-fixtures.js';

describe('policy engine: matching', () => {
  it.each([
    ['*', '', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['**', 'anything', true],
    ['a*b*c', 'axxbyyc', true],
  ])('wildcard %s vs %s → %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('a grant on acs:ram:*:<acct>:role/x matches the STS role ARN form', () => {
    expect(resourceMatches(`acs:ram:*:${ACCT}:role/x`, `acs:ram::${ACCT}:role/x`)).toBe(true);
    expect(resourceMatches(`acs:ram:*:${ACCT}:role/x`, `acs:ram::${ACCT}:role/xy`)).toBe(false);
  });
});

describe('policy engine: document validation', () => {
  const malformed: [string, string][] = [
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['missing Version', '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'],
    ['wrong Version', '{"Version":"2","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'],
    ['missing Statement', '{"Version":"1"}'],
    ['empty Statement', '{"Version":"1","Statement":[]}'],
    ['bad Effect', '{"Version":"1","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}'],
    ['no Action', '{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}'],
    ['no Resource', '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*"}]}'],
    [
      'Action and NotAction',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","NotAction":"x","Resource":"*"}]}',
    ],
    [
      'action without a service',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"GetRole","Resource":"*"}]}',
    ],
    [
      'resource that is not an ARN',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"role/x"}]}',
    ],
    [
      'unknown condition operator',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringMaybe":{"a":"b"}}}]}',
    ],
  ];
  it.each(malformed)('rejects %s as MalformedPolicyDocument', (_name, text) => {
    expect(() => parsePolicyDocument(text)).toThrowError(
      expect.objectContaining({ code: 'MalformedPolicyDocument', httpStatus: 400 }),
    );
  });

  it('requires a Principal in trust policies but no Resource', () => {
    expect(() =>
      parsePolicyDocument(
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
        'trust',
      ),
    ).toThrow(/Principal/);
    const trust = parsePolicyDocument(
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1:root"}}]}',
      'trust',
    );
    expect(trust.Statement[0]?.Principal).toEqual({ RAM: ['acs:ram::1:root'] });
  });

  it('normalises a single statement object and single values into lists', () => {
    const parsed = parsePolicyDocument(
      '{"Version":"1","Statement":{"Effect":"Deny","Action":"ram:*","Resource":"*"}}',
    );
    expect(parsed.Statement).toEqual([{ Effect: 'Deny', Action: ['ram:*'], Resource: ['*'] }]);
  });
});
