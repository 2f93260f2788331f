import { describe, expect, it } from 'vitest';
import {
  canonicalPolicy,
  policiesEqual,
  sameRoleArn,
  serializePolicy,
} from '../../../src/delegation/policy-compare.js';

const bus = 'acs:eventbridge:cn-hangzhou:1111111111111111:eventbus/orders';
const base = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['eventbridge:PutEvents'], Resource: [bus] }],
};
const trust = (principal: unknown, condition?: unknown) => ({
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: principal,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

type Case = { name: string; a: string | object; b: string | object; equal: boolean };

const cases: Case[] = [
  { name: 'identical objects', a: base, b: structuredClone(base), equal: true },
  { name: 'object vs its pretty-printed JSON text', a: base, b: JSON.stringify(base, null, 2), equal: true },
  {
    name: 'object vs JSON text with odd whitespace',
    a: base,
    b: `\n { "Version" : "1" ,\t"Statement":[ {"Effect":"Allow","Action":["eventbridge:PutEvents"],"Resource":["${bus}"]}]}  `,
    equal: true,
  },
  {
    name: 'key order inside statement and document',
    a: base,
    b: { Statement: [{ Resource: [bus], Action: ['eventbridge:PutEvents'], Effect: 'Allow' }], Version: '1' },
    equal: true,
  },
  {
    name: 'string vs one-element list (Action and Resource)',
    a: base,
    b: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'eventbridge:PutEvents', Resource: bus }] },
    equal: true,
  },
  {
    name: 'Action case differs',
    a: base,
    b: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['EventBridge:putevents'], Resource: [bus] }] },
    equal: true,
  },
  {
    name: 'Resource case differs',
    a: base,
    b: {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['eventbridge:PutEvents'], Resource: [bus.toUpperCase()] }],
    },
    equal: false,
  },
  {
    name: 'duplicate list entries',
    a: base,
    b: {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['eventbridge:PutEvents', 'eventbridge:putEvents'], Resource: [bus, bus] },
      ],
    },
    equal: true,
  },
  {
    name: 'list order',
    a: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['a:X', 'b:Y'], Resource: ['r1', 'r2'] }] },
    b: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['b:Y', 'a:X'], Resource: ['r2', 'r1'] }] },
    equal: true,
  },
  {
    name: 'statement order',
    a: {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'a:X', Resource: '*' },
        { Effect: 'Deny', Action: 'a:Y', Resource: '*' },
      ],
    },
    b: {
      Version: '1',
      Statement: [
        { Effect: 'Deny', Action: 'a:Y', Resource: '*' },
        { Effect: 'Allow', Action: 'a:X', Resource: '*' },
      ],
    },
    equal: true,
  },
  {
    name: 'duplicate statements',
    a: base,
    b: { Version: '1', Statement: [base.Statement[0], base.Statement[0]] },
    equal: true,
  },
  { name: 'numeric Version', a: base, b: { ...base, Version: 1 }, equal: true },
  { name: 'different Version', a: base, b: { ...base, Version: '2' }, equal: false },
  {
    name: 'Effect differs',
    a: base,
    b: { Version: '1', Statement: [{ Effect: 'Deny', Action: ['eventbridge:PutEvents'], Resource: [bus] }] },
    equal: false,
  },
  {
    name: 'extra action',
    a: base,
    b: {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['eventbridge:PutEvents', 'eventbridge:GetEventBus'], Resource: [bus] },
      ],
    },
    equal: false,
  },
  {
    name: 'different resource',
    a: base,
    b: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['eventbridge:PutEvents'], Resource: ['*'] }] },
    equal: false,
  },
  {
    name: 'extra statement',
    a: base,
    b: { Version: '1', Statement: [...base.Statement, { Effect: 'Deny', Action: 'ram:*', Resource: '*' }] },
    equal: false,
  },
  {
    name: 'Condition operand string vs list',
    a: trust({ RAM: 'acs:ram::2222222222222222:root' }, { Bool: { 'acs:MFAPresent': 'true' } }),
    b: trust({ RAM: ['acs:ram::2222222222222222:root'] }, { Bool: { 'acs:MFAPresent': ['true'] } }),
    equal: true,
  },
  {
    name: 'Condition boolean vs string operand',
    a: trust({ RAM: ['acs:ram::2222222222222222:root'] }, { Bool: { 'acs:MFAPresent': true } }),
    b: trust({ RAM: ['acs:ram::2222222222222222:root'] }, { Bool: { 'acs:MFAPresent': 'true' } }),
    equal: true,
  },
  {
    name: 'Condition present vs absent',
    a: trust({ RAM: ['acs:ram::2222222222222222:root'] }, { Bool: { 'acs:MFAPresent': 'true' } }),
    b: trust({ RAM: ['acs:ram::2222222222222222:root'] }),
    equal: false,
  },
  {
    name: 'Condition value differs',
    a: trust({ RAM: ['x'] }, { Bool: { 'acs:MFAPresent': 'true' } }),
    b: trust({ RAM: ['x'] }, { Bool: { 'acs:MFAPresent': 'false' } }),
    equal: false,
  },
  {
    name: 'principal list order and duplicates',
    a: trust({ RAM: ['acs:ram::2222222222222222:user/a', 'acs:ram::2222222222222222:user/b'] }),
    b: trust({
      RAM: [
        'acs:ram::2222222222222222:user/b',
        'acs:ram::2222222222222222:user/a',
        'acs:ram::2222222222222222:user/b',
      ],
    }),
    equal: true,
  },
  {
    name: 'principal differs (root vs user)',
    a: trust({ RAM: ['acs:ram::2222222222222222:root'] }),
    b: trust({ RAM: ['acs:ram::2222222222222222:user/alice'] }),
    equal: false,
  },
  {
    name: 'principal account differs',
    a: trust({ RAM: ['acs:ram::2222222222222222:root'] }),
    b: trust({ RAM: ['acs:ram::3333333333333333:root'] }),
    equal: false,
  },
  {
    name: 'principal case is significant',
    a: trust({ RAM: ['acs:ram::2222222222222222:user/Alice'] }),
    b: trust({ RAM: ['acs:ram::2222222222222222:user/alice'] }),
    equal: false,
  },
  {
    name: 'Statement as a single object vs a list',
    a: base,
    b: { Version: '1', Statement: base.Statement[0] },
    equal: true,
  },
  {
    name: 'Sid is only a label',
    a: base,
    b: { Version: '1', Statement: [{ Sid: 'publish', ...base.Statement[0] }] },
    equal: true,
  },
  {
    name: 'Action vs NotAction',
    a: base,
    b: {
      Version: '1',
      Statement: [{ Effect: 'Allow', NotAction: ['eventbridge:PutEvents'], Resource: [bus] }],
    },
    equal: false,
  },
  { name: 'invalid JSON equals only itself', a: '{not json', b: '  {not json ', equal: true },
  { name: 'invalid JSON vs a document', a: '{not json', b: base, equal: false },
];

describe('policiesEqual', () => {
  it.each(cases)('$name → equal=$equal', ({ a, b, equal }) => {
    expect(policiesEqual(a, b)).toBe(equal);
    expect(policiesEqual(b, a)).toBe(equal);
    expect(canonicalPolicy(a) === canonicalPolicy(b)).toBe(equal);
  });
});

describe('serializePolicy', () => {
  it('is compact, puts Version and Effect first and keeps list order as written', () => {
    const text = serializePolicy({
      Statement: [{ Resource: ['r2', 'r1'], Action: 'a:X', Effect: 'Allow' }],
      Version: '1',
    });
    expect(text).toBe(
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"a:X","Resource":["r2","r1"]}]}',
    );
  });

  it('is stable: key order of the input does not change the text', () => {
    const a = serializePolicy({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'a:X', Resource: '*', Condition: { Bool: { k: 'true' } } }],
    });
    const b = serializePolicy({
      Statement: [{ Condition: { Bool: { k: 'true' } }, Resource: '*', Action: 'a:X', Effect: 'Allow' }],
      Version: '1',
    });
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
  });

  it('round-trips to an equal policy', () => {
    expect(policiesEqual(serializePolicy(base), base)).toBe(true);
  });
});

describe('role ARNs compare the way RAM compares them', () => {
  const grant = (resource: string) => ({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }],
  });

  it('regardless of case in Resource and Principal (RAM may hand an ARN back lower-cased)', () => {
    expect(
      policiesEqual(
        grant('acs:ram::1111111111111111:role/Orders-Publisher'),
        grant('acs:ram::1111111111111111:role/orders-publisher'),
      ),
    ).toBe(true);
    const trust = (principal: string) => ({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [principal] } }],
    });
    expect(
      policiesEqual(trust('acs:ram::2222222222222222:role/Ops'), trust('acs:ram::2222222222222222:role/ops')),
    ).toBe(true);
    expect(sameRoleArn('acs:ram::1:role/A', 'acs:ram::1:role/a')).toBe(true);
  });

  it('other resources keep their case', () => {
    expect(
      policiesEqual(
        grant('acs:oss:*:1111111111111111:Bucket/Photos'),
        grant('acs:oss:*:1111111111111111:bucket/photos'),
      ),
    ).toBe(false);
    expect(
      policiesEqual(grant('acs:ram::1111111111111111:user/Bob'), grant('acs:ram::1111111111111111:user/bob')),
    ).toBe(false);
  });
});
