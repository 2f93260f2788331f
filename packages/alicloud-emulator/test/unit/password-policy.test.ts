import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/contract.js';
import type { PasswordPolicy } from '../../src/cloud/model.js';
import { Params } from '../../src/cloud/params.js';
import {
  DEFAULT_PASSWORD_POLICY,
  passwordPolicyFrom,
  passwordProblems,
} from '../../src/cloud/ram/password-policy.js';

const strict: PasswordPolicy = {
  ...DEFAULT_PASSWORD_POLICY,
  minimumPasswordLength: 12,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
};

describe('password policy: checking passwords', () => {
  it.each([
    ['default: 8 characters of anything pass', DEFAULT_PASSWORD_POLICY, 'abcdefgh', []],
    ['default: 7 characters are too short', DEFAULT_PASSWORD_POLICY, 'abcdefg', ['at least 8 characters']],
    [
      'default: 33 characters are too long',
      DEFAULT_PASSWORD_POLICY,
      'a'.repeat(33),
      ['at most 32 characters'],
    ],
    ['strict: a compliant password', strict, 'Str0ng-Passw0rd', []],
    [
      'strict: every missing class is named',
      strict,
      'alllowercaseletters',
      ['an upper-case letter', 'a digit', 'a symbol'],
    ],
    ['strict: length and lower case', strict, 'SHORT-1', ['at least 12 characters', 'a lower-case letter']],
  ] as const)('%s', (_name, policy, password, problems) => {
    expect(passwordProblems(policy, password)).toEqual(problems);
  });
});

describe('password policy: SetPasswordPolicy parameters', () => {
  const from = (params: Record<string, string>) => passwordPolicyFrom(new Params(params));
  const errorOf = (params: Record<string, string>): ApiError => {
    try {
      from(params);
    } catch (error) {
      return error as ApiError;
    }
    throw new Error('expected a refusal');
  };

  it('omitted fields take their defaults (the call replaces the whole policy)', () => {
    expect(from({})).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(from({ MinimumPasswordLength: '14', RequireSymbols: 'true' })).toEqual({
      ...DEFAULT_PASSWORD_POLICY,
      minimumPasswordLength: 14,
      requireSymbols: true,
    });
  });

  it.each([
    ['MinimumPasswordLength', '7'],
    ['MinimumPasswordLength', '33'],
    ['MaxLoginAttemps', '33'],
    ['MaxPasswordAge', '1096'],
    ['PasswordReusePrevention', '25'],
    ['PasswordReusePrevention', '-1'],
  ])('%s=%s is refused with InvalidParameter.%s.Range', (field, value) => {
    const error = errorOf({ [field]: value });
    expect({ code: error.code, status: error.httpStatus }).toEqual({
      code: `InvalidParameter.${field}.Range`,
      status: 400,
    });
    expect(error.message).toContain(field);
  });

  it('accepts the ends of every range', () => {
    expect(
      from({
        MinimumPasswordLength: '32',
        MaxLoginAttemps: '32',
        MaxPasswordAge: '1095',
        PasswordReusePrevention: '24',
      }),
    ).toMatchObject({
      minimumPasswordLength: 32,
      maxLoginAttemps: 32,
      maxPasswordAge: 1095,
      passwordReusePrevention: 24,
    });
  });
});
