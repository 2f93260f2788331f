import { describe, expect, it } from 'vitest';
import { assumedRoleArn, roleArn, roleSessionArn } from '../../src/cloud/arns.js';
import { resourceMatches } from '../../src/cloud/policy-engine/match.js';

const A = '1111111111111111';

describe('role ARNs: as reported, and compared regardless of case (other resources are case-sensitive)', () => {
  it.each([
    [roleArn(A, 'Orders-Publisher', false), `acs:ram::${A}:role/Orders-Publisher`],
    [roleArn(A, 'Orders-Publisher', true), `acs:ram::${A}:role/orders-publisher`],
    [roleSessionArn(A, 'Orders-Publisher', 'Alice', true), `acs:ram::${A}:role/orders-publisher/Alice`],
    [
      assumedRoleArn(A, 'Orders-Publisher', 'Alice', true),
      `acs:ram::${A}:assumed-role/orders-publisher/Alice`,
    ],
    [
      assumedRoleArn(A, 'Orders-Publisher', 'Alice', false),
      `acs:ram::${A}:assumed-role/Orders-Publisher/Alice`,
    ],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    [`acs:ram::${A}:role/orders-publisher`, `acs:ram:*:${A}:role/Orders-Publisher`, true],
    [`acs:ram:*:${A}:role/ORDERS-*`, `acs:ram:*:${A}:role/orders-publisher`, true],
    [`acs:ram:*:${A}:role/orders-publisher`, `acs:ram:*:${A}:role/orders-subscriber`, false],
    [`acs:ram:*:${A}:user/Alice`, `acs:ram:*:${A}:user/alice`, false],
    [`acs:ram:*:${A}:policy/P`, `acs:ram:*:${A}:policy/p`, false],
    [`acs:eventbridge:*:${A}:eventbus/Orders`, `acs:eventbridge:cn-hangzhou:${A}:eventbus/orders`, false],
  ])('pattern %s matches %s: %s', (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
  });
});
