import { describe, expect, it } from 'vitest';
import {
  ACCT,
  ROLE_X,
  allow,
  deny,
  doc,
  expectDecision,
  req,
  withCondition,
  type Case,
} from './policy-fixtures.js';

/** Effects, Action/Resource matching and the String condition family, with AND/OR and missing keys. */
const cases: Case[] = [
  // Effects and precedence
  { name: 'no policies: implicit deny', policies: [], request: req(), expected: 'ImplicitDeny' },
  { name: 'single allow', policies: [doc(allow())], request: req(), expected: 'Allow' },
  {
    name: 'explicit deny wins over allow in the same policy',
    policies: [doc(allow(), deny())],
    request: req(),
    expected: 'ExplicitDeny',
  },
  {
    name: 'explicit deny wins across policies',
    policies: [doc(allow()), doc(deny())],
    request: req(),
    expected: 'ExplicitDeny',
  },
  {
    name: 'deny for another action does not apply',
    policies: [doc(allow(), deny({ Action: 'ram:DeleteRole' }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'allow for another action: implicit deny',
    policies: [doc(allow({ Action: 'ram:DeleteRole' }))],
    request: req(),
    expected: 'ImplicitDeny',
  },
  // Action wildcards and case
  { name: 'action *', policies: [doc(allow({ Action: '*' }))], request: req(), expected: 'Allow' },
  {
    name: 'action service:*',
    policies: [doc(allow({ Action: 'ram:*' }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'action prefix wildcard ram:Get*',
    policies: [doc(allow({ Action: 'ram:Get*' }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'action prefix wildcard does not match List',
    policies: [doc(allow({ Action: 'ram:Get*' }))],
    request: req({ action: 'ram:ListRoles' }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'action ? matches one character',
    policies: [doc(allow({ Action: 'ram:GetRol?' }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'action ? needs exactly one character',
    policies: [doc(allow({ Action: 'ram:GetRole?' }))],
    request: req(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'action match is case-insensitive',
    policies: [doc(allow({ Action: 'RAM:getrole' }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'action list: any entry matches',
    policies: [doc(allow({ Action: ['ram:ListRoles', 'ram:GetRole'] }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'other service wildcard does not match',
    policies: [doc(allow({ Action: 'sts:*' }))],
    request: req(),
    expected: 'ImplicitDeny',
  },
  // NotAction / NotResource
  {
    name: 'NotAction excludes the action',
    policies: [doc({ Effect: 'Allow', NotAction: 'ram:GetRole', Resource: '*' })],
    request: req(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'NotAction allows other actions',
    policies: [doc({ Effect: 'Allow', NotAction: 'ram:Delete*', Resource: '*' })],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'Deny with NotAction denies everything else',
    policies: [doc(allow({ Action: '*' }), { Effect: 'Deny', NotAction: 'ram:List*', Resource: '*' })],
    request: req(),
    expected: 'ExplicitDeny',
  },
  {
    name: 'NotResource excludes the resource',
    policies: [doc({ Effect: 'Allow', Action: '*', NotResource: ROLE_X })],
    request: req(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'NotResource allows other resources',
    policies: [doc({ Effect: 'Allow', Action: '*', NotResource: `acs:ram:*:${ACCT}:role/y` })],
    request: req(),
    expected: 'Allow',
  },
  // Resource wildcards and ARN segments
  {
    name: 'resource exact ARN',
    policies: [doc(allow({ Resource: ROLE_X }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'resource other role',
    policies: [doc(allow({ Resource: `acs:ram:*:${ACCT}:role/y` }))],
    request: req(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'resource role/* wildcard',
    policies: [doc(allow({ Resource: `acs:ram:*:${ACCT}:role/*` }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'resource ? wildcard',
    policies: [doc(allow({ Resource: `acs:ram:*:${ACCT}:role/?` }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'resource of another account',
    policies: [doc(allow({ Resource: 'acs:ram:*:2222222222222222:role/x' }))],
    request: req(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'empty region in the grant matches any region',
    policies: [doc(allow({ Resource: `acs:ram::${ACCT}:role/x` }))],
    request: req(),
    expected: 'Allow',
  },
  {
    name: 'region-scoped grant vs region-less resource',
    policies: [doc(allow({ Resource: `acs:ram:cn-hangzhou:${ACCT}:role/x` }))],
    request: req({ resource: `acs:ram::${ACCT}:role/x` }),
    expected: 'Allow',
  },
  {
    name: 'eventbridge bus exact',
    policies: [
      doc(
        allow({
          Action: 'eventbridge:PutEvents',
          Resource: `acs:eventbridge:cn-hangzhou:${ACCT}:eventbus/orders`,
        }),
      ),
    ],
    request: req({
      action: 'eventbridge:PutEvents',
      resource: `acs:eventbridge:cn-hangzhou:${ACCT}:eventbus/orders`,
    }),
    expected: 'Allow',
  },
  {
    name: 'eventbridge bus in another region',
    policies: [
      doc(
        allow({
          Action: 'eventbridge:PutEvents',
          Resource: `acs:eventbridge:cn-shanghai:${ACCT}:eventbus/orders`,
        }),
      ),
    ],
    request: req({
      action: 'eventbridge:PutEvents',
      resource: `acs:eventbridge:cn-hangzhou:${ACCT}:eventbus/orders`,
    }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'role ARNs compare regardless of case (role names are case-insensitive)',
    policies: [doc(allow({ Resource: `acs:ram:*:${ACCT}:role/X` }))],
    request: req(),
    expected: 'Allow',
  },
  // String conditions
  {
    name: 'StringEquals holds',
    ...withCondition({ StringEquals: { 'acs:SourceIp': '10.1.2.3' } }),
    expected: 'Allow',
  },
  {
    name: 'StringEquals fails',
    ...withCondition({ StringEquals: { 'acs:SourceIp': '10.1.2.4' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'StringEquals is case-sensitive',
    ...withCondition({ StringEquals: { 'acs:SecureTransport': 'TRUE' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'StringEqualsIgnoreCase',
    ...withCondition({ StringEqualsIgnoreCase: { 'acs:SecureTransport': 'TRUE' } }),
    expected: 'Allow',
  },
  {
    name: 'StringNotEquals holds for a different value',
    ...withCondition({ StringNotEquals: { 'acs:SourceIp': '10.9.9.9' } }),
    expected: 'Allow',
  },
  {
    name: 'StringNotEquals fails for the same value',
    ...withCondition({ StringNotEquals: { 'acs:SourceIp': '10.1.2.3' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'StringNotEqualsIgnoreCase fails regardless of case',
    ...withCondition({ StringNotEqualsIgnoreCase: { 'acs:SecureTransport': 'TRUE' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'StringLike with *',
    ...withCondition({ StringLike: { 'acs:SourceIp': '10.1.*' } }),
    expected: 'Allow',
  },
  {
    name: 'StringLike with ?',
    ...withCondition({ StringLike: { 'acs:SourceIp': '10.1.2.?' } }),
    expected: 'Allow',
  },
  {
    name: 'StringLike no match',
    ...withCondition({ StringLike: { 'acs:SourceIp': '192.*' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'StringNotLike',
    ...withCondition({ StringNotLike: { 'acs:SourceIp': '192.*' } }),
    expected: 'Allow',
  },
  {
    name: 'condition key names are case-insensitive',
    ...withCondition({ StringEquals: { 'ACS:SOURCEIP': '10.1.2.3' } }),
    expected: 'Allow',
  },
  // Multiple values OR, multiple keys AND, multiple operators AND
  {
    name: 'multiple values: any one matches (OR)',
    ...withCondition({ StringEquals: { 'acs:SourceIp': ['1.1.1.1', '10.1.2.3'] } }),
    expected: 'Allow',
  },
  {
    name: 'multiple values: none matches',
    ...withCondition({ StringEquals: { 'acs:SourceIp': ['1.1.1.1', '2.2.2.2'] } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'multiple keys: all hold (AND)',
    ...withCondition({ StringEquals: { 'acs:SourceIp': '10.1.2.3', 'acs:SecureTransport': 'true' } }),
    expected: 'Allow',
  },
  {
    name: 'multiple keys: one fails (AND)',
    ...withCondition({ StringEquals: { 'acs:SourceIp': '10.1.2.3', 'acs:SecureTransport': 'false' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'multiple operators: one fails (AND)',
    ...withCondition({ StringEquals: { 'acs:SourceIp': '10.1.2.3' }, Bool: { 'acs:MFAPresent': 'true' } }),
    expected: 'ImplicitDeny',
  },
  // Missing keys
  {
    name: 'missing key: positive operator fails',
    ...withCondition({ StringEquals: { 'acs:Nope': 'x' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'missing key: negated operator holds',
    ...withCondition({ StringNotEquals: { 'acs:Nope': 'x' } }),
    expected: 'Allow',
  },
  {
    name: 'missing key in a Deny statement: deny does not apply',
    policies: [doc(allow(), deny({ Condition: { StringEquals: { 'acs:Nope': 'x' } } }))],
    request: req(),
    expected: 'Allow',
  },
];

describe('policy engine: evaluate', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
  it.each(cases)('$name → $expected', (row) => expectDecision(row));
});
