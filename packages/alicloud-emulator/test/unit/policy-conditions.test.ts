import { describe, expect, it } from 'vitest';
import { intersect, type Decision } from '../../src/cloud/policy-engine/evaluate.js';
import {
  allow,
  baseContext,
  deny,
  doc,
  expectDecision,
  req,
  withCondition,
  type Case,
} from './policy-fixtures.js';

/** Numeric, Date, Bool and IP conditions, and trust-policy principals. */
const cases: Case[] = [
  // Numeric
  {
    name: 'NumericEquals',
    ...withCondition(
      { NumericEquals: { 'ram:Count': '5' } },
      { context: { ...baseContext, 'ram:Count': '5' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NumericNotEquals',
    ...withCondition(
      { NumericNotEquals: { 'ram:Count': 5 } },
      { context: { ...baseContext, 'ram:Count': '6' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NumericLessThan holds',
    ...withCondition(
      { NumericLessThan: { 'ram:Count': '10' } },
      { context: { ...baseContext, 'ram:Count': '9' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NumericLessThan boundary fails',
    ...withCondition(
      { NumericLessThan: { 'ram:Count': '10' } },
      { context: { ...baseContext, 'ram:Count': '10' } },
    ),
    expected: 'ImplicitDeny',
  },
  {
    name: 'NumericLessThanEquals boundary holds',
    ...withCondition(
      { NumericLessThanEquals: { 'ram:Count': '10' } },
      { context: { ...baseContext, 'ram:Count': '10' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NumericGreaterThan',
    ...withCondition(
      { NumericGreaterThan: { 'ram:Count': '10' } },
      { context: { ...baseContext, 'ram:Count': '11' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NumericGreaterThanEquals fails below',
    ...withCondition(
      { NumericGreaterThanEquals: { 'ram:Count': '10' } },
      { context: { ...baseContext, 'ram:Count': '9.5' } },
    ),
    expected: 'ImplicitDeny',
  },
  {
    name: 'Numeric with a non-number never holds',
    ...withCondition(
      { NumericEquals: { 'ram:Count': 'ten' } },
      { context: { ...baseContext, 'ram:Count': 'ten' } },
    ),
    expected: 'ImplicitDeny',
  },
  // Date
  {
    name: 'DateLessThan holds before the deadline',
    ...withCondition({ DateLessThan: { 'acs:CurrentTime': '2026-12-31T00:00:00Z' } }),
    expected: 'Allow',
  },
  {
    name: 'DateLessThan fails after the deadline',
    ...withCondition({ DateLessThan: { 'acs:CurrentTime': '2026-01-01T00:00:00Z' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'DateGreaterThan',
    ...withCondition({ DateGreaterThan: { 'acs:CurrentTime': '2026-11-23T09:59:59Z' } }),
    expected: 'Allow',
  },
  {
    name: 'DateGreaterThanEquals exact instant',
    ...withCondition({ DateGreaterThanEquals: { 'acs:CurrentTime': '2026-11-23T10:00:00Z' } }),
    expected: 'Allow',
  },
  {
    name: 'DateLessThanEquals exact instant',
    ...withCondition({ DateLessThanEquals: { 'acs:CurrentTime': '2026-11-23T10:00:00Z' } }),
    expected: 'Allow',
  },
  {
    name: 'DateEquals with epoch seconds',
    ...withCondition({
      DateEquals: { 'acs:CurrentTime': String(Date.parse('2026-11-23T10:00:00Z') / 1000) },
    }),
    expected: 'Allow',
  },
  {
    name: 'DateNotEquals',
    ...withCondition({ DateNotEquals: { 'acs:CurrentTime': '2020-01-01T00:00:00Z' } }),
    expected: 'Allow',
  },
  // Bool
  {
    name: 'Bool MFAPresent true fails for AK calls',
    ...withCondition({ Bool: { 'acs:MFAPresent': 'true' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'Bool SecureTransport true (boolean value)',
    ...withCondition({ Bool: { 'acs:SecureTransport': true } }),
    expected: 'Allow',
  },
  {
    name: 'Bool SecureTransport false over plain HTTP',
    ...withCondition(
      { Bool: { 'acs:SecureTransport': 'false' } },
      { context: { ...baseContext, 'acs:SecureTransport': 'false' } },
    ),
    expected: 'Allow',
  },
  // IP
  {
    name: 'IpAddress CIDR holds',
    ...withCondition({ IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } }),
    expected: 'Allow',
  },
  {
    name: 'IpAddress CIDR fails',
    ...withCondition({ IpAddress: { 'acs:SourceIp': '192.168.0.0/16' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'IpAddress single address',
    ...withCondition({ IpAddress: { 'acs:SourceIp': '10.1.2.3' } }),
    expected: 'Allow',
  },
  {
    name: 'IpAddress list OR',
    ...withCondition({ IpAddress: { 'acs:SourceIp': ['192.168.0.0/16', '10.1.2.0/24'] } }),
    expected: 'Allow',
  },
  {
    name: 'IpAddress with IPv4-mapped IPv6 source',
    ...withCondition(
      { IpAddress: { 'acs:SourceIp': '127.0.0.0/8' } },
      { context: { ...baseContext, 'acs:SourceIp': '::ffff:127.0.0.1' } },
    ),
    expected: 'Allow',
  },
  {
    name: 'NotIpAddress holds outside the range',
    ...withCondition({ NotIpAddress: { 'acs:SourceIp': '192.168.0.0/16' } }),
    expected: 'Allow',
  },
  {
    name: 'NotIpAddress fails inside the range',
    ...withCondition({ NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'Deny unless from the office network',
    policies: [doc(allow(), deny({ Condition: { NotIpAddress: { 'acs:SourceIp': '192.168.0.0/16' } } }))],
    request: req(),
    expected: 'ExplicitDeny',
  },
  // Trust policies (Principal)
  {
    name: 'trust: account root principal matches a user of that account',
    policies: [
      doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { RAM: ['acs:ram::2222222222222222:root'] },
      }),
    ],
    request: req({
      action: 'sts:AssumeRole',
      principal: { ram: ['acs:ram::2222222222222222:root', 'acs:ram::2222222222222222:user/u'] },
    }),
    expected: 'Allow',
  },
  {
    name: 'trust: bare account id means root',
    policies: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: '2222222222222222' } })],
    request: req({ action: 'sts:AssumeRole', principal: { ram: ['acs:ram::2222222222222222:root'] } }),
    expected: 'Allow',
  },
  {
    name: 'trust: another account is not trusted',
    policies: [
      doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { RAM: ['acs:ram::2222222222222222:root'] },
      }),
    ],
    request: req({ action: 'sts:AssumeRole', principal: { ram: ['acs:ram::3333333333333333:root'] } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'trust: a named user only',
    policies: [
      doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { RAM: ['acs:ram::2222222222222222:user/alice'] },
      }),
    ],
    request: req({
      action: 'sts:AssumeRole',
      principal: { ram: ['acs:ram::2222222222222222:root', 'acs:ram::2222222222222222:user/bob'] },
    }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'trust: MFA condition fails for AccessKey callers',
    policies: [
      doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { RAM: ['acs:ram::2222222222222222:root'] },
        Condition: { Bool: { 'acs:MFAPresent': 'true' } },
      }),
    ],
    request: req({ action: 'sts:AssumeRole', principal: { ram: ['acs:ram::2222222222222222:root'] } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'trust: statement without Principal does not apply to a trust evaluation',
    policies: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })],
    request: req({ action: 'sts:AssumeRole', principal: { ram: ['acs:ram::2222222222222222:root'] } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'trust: service principal',
    policies: [
      doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }),
    ],
    request: req({ action: 'sts:AssumeRole', principal: { service: 'ecs.aliyuncs.com' } }),
    expected: 'Allow',
  },
];

describe('policy engine: condition families and trust principals', () => {
  it.each(cases)('$name → $expected', (row) => expectDecision(row));
});

describe('policy engine: intersect (identity AND session policy)', () => {
  it.each([
    [['Allow', 'Allow'], 'Allow'],
    [['Allow', 'ImplicitDeny'], 'ImplicitDeny'],
    [['ImplicitDeny', 'Allow'], 'ImplicitDeny'],
    [['Allow', 'ExplicitDeny'], 'ExplicitDeny'],
    [['ImplicitDeny', 'ExplicitDeny'], 'ExplicitDeny'],
  ] as [Decision[], Decision][])('%j → %s', (decisions, expected) => {
    expect(intersect(...decisions)).toBe(expected);
  });
});
