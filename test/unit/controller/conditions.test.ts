import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/status.js';
import {
  conditionTime,
  findCondition,
  isConditionTrue,
  mergeConditions,
  removeCondition,
  sameConditions,
  setCondition,
  type ConditionInput,
} from '../../../src/controller/conditions.js';
import { statusEquals, statusMergePatch } from '../../../src/controller/status-writer.js';

const T0 = new Date('2026-01-02T03:04:05.678Z');
const T1 = new Date('2026-01-02T04:00:00.000Z');
const t0 = '2026-01-02T03:04:05Z';
const t1 = '2026-01-02T04:00:00Z';

const ready = (
  status: Condition['status'],
  reason = 'Reconciled',
  time = t0,
  extra: Partial<Condition> = {},
): Condition => ({
  type: 'Ready',
  status,
  reason,
  message: '',
  lastTransitionTime: time,
  ...extra,
});

describe('conditionTime', () => {
  it('renders metav1.Time: UTC, whole seconds', () => {
    expect(conditionTime(T0)).toBe(t0);
  });
});

describe('setCondition', () => {
  const cases: Array<{
    name: string;
    before: Condition[] | undefined;
    input: ConditionInput;
    after: Condition[];
  }> = [
    {
      name: 'adds a missing condition stamped now',
      before: undefined,
      input: {
        type: 'Ready',
        status: 'False',
        reason: 'Progressing',
        message: 'creating role',
        observedGeneration: 2,
      },
      after: [ready('False', 'Progressing', t1, { message: 'creating role', observedGeneration: 2 })],
    },
    {
      name: 'keeps lastTransitionTime when only the reason and message change',
      before: [ready('False', 'Progressing', t0)],
      input: { type: 'Ready', status: 'False', reason: 'Throttled', message: 'retrying' },
      after: [ready('False', 'Throttled', t0, { message: 'retrying' })],
    },
    {
      name: 'moves lastTransitionTime when the status changes',
      before: [ready('False', 'Progressing', t0)],
      input: { type: 'Ready', status: 'True', reason: 'Reconciled', observedGeneration: 3 },
      after: [ready('True', 'Reconciled', t1, { observedGeneration: 3 })],
    },
    {
      name: 'removes Stalled when it is no longer true',
      before: [
        ready('False'),
        { type: 'Stalled', status: 'True', reason: 'PolicyTooBroad', message: '', lastTransitionTime: t0 },
      ],
      input: { type: 'Stalled', status: 'False', reason: 'Reconciled' },
      after: [ready('False')],
    },
    {
      name: 'never adds Reconciling as False or Unknown',
      before: [ready('True')],
      input: { type: 'Reconciling', status: 'Unknown', reason: 'Progressing' },
      after: [ready('True')],
    },
    {
      name: 'adds Reconciling while true, after the existing conditions',
      before: [ready('False')],
      input: { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'applying' },
      after: [
        ready('False'),
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'Progressing',
          message: 'applying',
          lastTransitionTime: t1,
        },
      ],
    },
  ];

  it.each(cases)('$name', ({ before, input, after }) => {
    const snapshot = JSON.stringify(before);
    expect(setCondition(before, input, T1)).toEqual(after);
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('mergeConditions and lookups', () => {
  it('applies inputs in order and keeps existing positions', () => {
    const before = [
      ready('True'),
      {
        type: 'OwnerSynced',
        status: 'True' as const,
        reason: 'Reconciled',
        message: '',
        lastTransitionTime: t0,
      },
    ];
    const merged = mergeConditions(
      before,
      [
        {
          type: 'OwnerSynced',
          status: 'False',
          reason: 'PermissionDenied',
          message: 'ram:CreateRole denied',
        },
        { type: 'Ready', status: 'True', reason: 'Reconciled' },
        { type: 'Stalled', status: 'True', reason: 'PermissionDenied' },
      ],
      T1,
    );
    expect(merged.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Ready', 'True', t0],
      ['OwnerSynced', 'False', t1],
      ['Stalled', 'True', t1],
    ]);
    expect(isConditionTrue(merged, 'Stalled')).toBe(true);
    expect(isConditionTrue(merged, 'OwnerSynced')).toBe(false);
    expect(findCondition(removeCondition(merged, 'Stalled'), 'Stalled')).toBeUndefined();
  });
});

describe('sameConditions', () => {
  const a = ready('True');
  const b = {
    type: 'OwnerSynced',
    status: 'True' as const,
    reason: 'Reconciled',
    message: '',
    lastTransitionTime: t0,
  };
  it.each([
    ['same set in another order', [a, b], [b, a], true],
    ['different length', [a, b], [a], false],
    ['different status', [a], [ready('False')], false],
    ['different message', [a], [ready('True', 'Reconciled', t0, { message: 'x' })], false],
    ['different time', [a], [ready('True', 'Reconciled', t1)], false],
    [
      'different observedGeneration',
      [a],
      [ready('True', 'Reconciled', t0, { observedGeneration: 1 })],
      false,
    ],
  ] as const)('%s -> %s', (_name, left, right, expected) => {
    expect(sameConditions([...left], [...right])).toBe(expected);
  });
});

describe('statusEquals', () => {
  const conditions = [
    ready('True'),
    {
      type: 'OwnerSynced',
      status: 'True' as const,
      reason: 'Reconciled',
      message: '',
      lastTransitionTime: t0,
    },
  ];
  const base = { observedGeneration: 2, roleArn: 'acs:ram::1111111111111111:role/r', conditions };
  it.each([
    ['identical', base, structuredClone(base), true],
    ['conditions reordered', base, { ...base, conditions: [...conditions].reverse() }, true],
    ['undefined fields are absent fields', base, { ...base, users: undefined }, true],
    ['both empty', undefined, {}, true],
    ['new observedGeneration', base, { ...base, observedGeneration: 3 }, false],
    ['role ARN dropped', base, { ...base, roleArn: undefined }, false],
    [
      'users added',
      base,
      {
        ...base,
        users: [{ name: 'u', principalName: 'u@2222222222222222.onaliyun.com', credentialsSecretName: 's' }],
      },
      false,
    ],
    ['a condition changed', base, { ...base, conditions: [ready('False'), conditions[1]!] }, false],
  ] as const)('%s -> %s', (_name, current, desired, expected) => {
    expect(statusEquals(current as never, desired as never)).toBe(expected);
  });
});

describe('statusMergePatch', () => {
  it('sends the desired fields and null for the ones to remove', () => {
    expect(
      statusMergePatch(
        { observedGeneration: 1, roleArn: 'arn', users: [] },
        { observedGeneration: 2, conditions: [ready('True')] },
      ),
    ).toEqual({ observedGeneration: 2, roleArn: null, users: null, conditions: [ready('True')] });
  });
});
