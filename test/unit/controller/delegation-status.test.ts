import { describe, expect, it } from 'vitest';
import { CloudError } from '../../../src/alicloud/errors.js';
import { classifyError } from '../../../src/controller/classify-error.js';
import { desiredStatus, type PassResult } from '../../../src/controller/delegation-status.js';
import { CredentialsError, SecretNotManagedError, TerminalError } from '../../../src/controller/errors.js';
import { RevocationBlockedError } from '../../../src/delegation/engine.js';
import { ApplyError } from '../../../src/delegation/run-phased.js';

const ARN = 'acs:ram::1111111111111111:role/r';
const now = new Date('2026-11-23T10:00:00Z');
const users = [
  { name: 'u', principalName: 'u@2222222222222222.onaliyun.com', credentialsSecretName: 'u-ak' },
];
const done = (extra: Partial<Extract<PassResult, { kind: 'Done' }>> = {}): PassResult => ({
  kind: 'Done',
  blocked: undefined,
  roleArn: ARN,
  users,
  verification: { verified: true, attempted: true, reason: 'AssumeRoleSucceeded', message: 'ok' },
  accessRevoked: undefined,
  ...extra,
});
const blocked = (side: 'owner' | 'authorized'): PassResult =>
  done({
    blocked: {
      side,
      reason: 'EntityNotManaged',
      message: side === 'owner' ? 'role r exists' : 'user u exists',
    },
    roleArn: side === 'owner' ? undefined : ARN,
    users: undefined,
    verification: undefined,
  });

/** condition type → "status/reason", Reconciling and Stalled only when present. */
function summary(result: PassResult, generation = 3, observed = 2) {
  const status = desiredStatus({ observedGeneration: observed }, generation, result, now);
  return {
    observedGeneration: status.observedGeneration,
    conditions: Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`])),
    roleArn: status.roleArn,
  };
}

describe('desiredStatus', () => {
  const cases: [name: string, result: PassResult, expected: ReturnType<typeof summary>][] = [
    [
      'synced and verified',
      done(),
      {
        observedGeneration: 3,
        roleArn: ARN,
        conditions: {
          OwnerSynced: 'True/Reconciled',
          AuthorizedSynced: 'True/Reconciled',
          AccessVerified: 'True/AssumeRoleSucceeded',
          Ready: 'True/Reconciled',
        },
      },
    ],
    [
      'synced without a Programmatic user to verify with',
      done({ verification: undefined }),
      {
        observedGeneration: 3,
        roleArn: ARN,
        conditions: {
          OwnerSynced: 'True/Reconciled',
          AuthorizedSynced: 'True/Reconciled',
          AccessVerified: 'Unknown/NotVerified',
          Ready: 'True/Reconciled',
        },
      },
    ],
    [
      'verification failed: not ready, still reconciling',
      done({
        verification: {
          verified: false,
          attempted: true,
          reason: 'AssumeRoleFailed',
          message: 'NoPermission',
        },
      }),
      {
        observedGeneration: 3,
        roleArn: ARN,
        conditions: {
          OwnerSynced: 'True/Reconciled',
          AuthorizedSynced: 'True/Reconciled',
          AccessVerified: 'False/AssumeRoleFailed',
          Ready: 'False/AssumeRoleFailed',
          Reconciling: 'True/AssumeRoleFailed',
        },
      },
    ],
    [
      'suspended',
      done({ accessRevoked: 'suspended', verification: undefined }),
      {
        observedGeneration: 3,
        roleArn: ARN,
        conditions: {
          OwnerSynced: 'True/Suspended',
          AuthorizedSynced: 'True/Reconciled',
          AccessVerified: 'False/Suspended',
          Ready: 'True/Suspended',
        },
      },
    ],
    [
      'owner blocked: stalled, B untouched',
      blocked('owner'),
      {
        observedGeneration: 3,
        roleArn: undefined,
        conditions: {
          OwnerSynced: 'False/EntityNotManaged',
          AuthorizedSynced: 'Unknown/Progressing',
          AccessVerified: 'Unknown/NotVerified',
          Ready: 'False/EntityNotManaged',
          Stalled: 'True/EntityNotManaged',
        },
      },
    ],
    [
      'authorized blocked',
      blocked('authorized'),
      {
        observedGeneration: 3,
        roleArn: ARN,
        conditions: {
          OwnerSynced: 'True/Reconciled',
          AuthorizedSynced: 'False/EntityNotManaged',
          AccessVerified: 'Unknown/NotVerified',
          Ready: 'False/EntityNotManaged',
          Stalled: 'True/EntityNotManaged',
        },
      },
    ],
    [
      'invalid spec',
      { kind: 'Invalid', message: 'spec.policies[0].custom.document: too long' },
      {
        observedGeneration: 3,
        roleArn: undefined,
        conditions: {
          Ready: 'False/InvalidSpec',
          Stalled: 'True/InvalidSpec',
          OwnerSynced: 'Unknown/InvalidSpec',
          AuthorizedSynced: 'Unknown/InvalidSpec',
          AccessVerified: 'Unknown/NotVerified',
        },
      },
    ],
    [
      'throttled: retrying, generation not done',
      { kind: 'Failed', error: { retryable: true, reason: 'Throttled', message: 'Throttling.User' } },
      {
        observedGeneration: 2,
        roleArn: undefined,
        conditions: { Ready: 'False/Throttled', Reconciling: 'True/Throttled' },
      },
    ],
    [
      'permission denied: stalled',
      { kind: 'Failed', error: { retryable: false, reason: 'PermissionDenied', message: 'NoPermission' } },
      {
        observedGeneration: 3,
        roleArn: undefined,
        conditions: { Ready: 'False/PermissionDenied', Stalled: 'True/PermissionDenied' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, result, expected) => {
    expect(summary(result)).toEqual(expected);
  });

  it('keeps lastTransitionTime when a condition keeps its status', () => {
    const first = desiredStatus(undefined, 1, done(), now);
    const later = desiredStatus(first, 2, done(), new Date(now.getTime() + 60_000));
    expect(later.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2026-11-23T10:00:00Z',
    );
    expect(later.conditions?.find((c) => c.type === 'Ready')?.observedGeneration).toBe(2);
  });

  it('drops Stalled once the problem is fixed', () => {
    const stalled = desiredStatus(undefined, 1, blocked('owner'), now);
    const fixed = desiredStatus(stalled, 1, done(), now);
    expect(fixed.conditions?.map((c) => c.type)).not.toContain('Stalled');
  });
});

describe('classifyError', () => {
  const change = {
    side: 'owner' as const,
    verb: 'Created' as const,
    entity: 'role/r',
    drift: false,
    description: 'create role r',
  };
  const cases: [name: string, error: unknown, retryable: boolean, reason: string][] = [
    [
      'throttled',
      new CloudError('Throttled', 'Throttling.User', 'slow down', { retryAfterMs: 500 }),
      true,
      'Throttled',
    ],
    ['transient', new CloudError('Transient', 'ServiceUnavailable', '503'), true, 'TransientError'],
    ['race', new CloudError('AlreadyExists', 'EntityAlreadyExists.Role', 'exists'), true, 'TransientError'],
    ['no permission', new CloudError('Forbidden', 'NoPermission', 'denied'), false, 'PermissionDenied'],
    [
      'revocation blocked by an account mismatch',
      new RevocationBlockedError({ reason: 'CredentialsAccountMismatch', message: 'other account' }),
      false,
      'CredentialsAccountMismatch',
    ],
    ['quota', new CloudError('LimitExceeded', 'LimitExceeded.Role', 'too many'), false, 'LimitExceeded'],
    ['invalid', new CloudError('Invalid', 'MalformedPolicyDocument', 'bad'), false, 'InvalidSpec'],
    [
      'missing secret',
      new CredentialsError('CredentialsNotFound', 'secret enterprise-a not found'),
      false,
      'CredentialsNotFound',
    ],
    [
      "someone else's user Secret",
      new SecretNotManagedError('Secret default/u-ak is not owned by this delegation'),
      false,
      'EntityNotManaged',
    ],
    ['any terminal error', new TerminalError('PolicyTooBroad', 'too broad'), false, 'PolicyTooBroad'],
    [
      'wrapped by the runner',
      new ApplyError(new CloudError('Forbidden', 'NoPermission', 'denied'), [], change),
      false,
      'PermissionDenied',
    ],
    ['kubernetes conflict', Object.assign(new Error('conflict'), { code: 409 }), true, 'TransientError'],
    ['anything else', new Error('boom'), true, 'TransientError'],
  ];
  it.each(cases)('%s', (_name, error, retryable, reason) => {
    const classified = classifyError(error);
    expect(classified.retryable).toBe(retryable);
    expect(classified.reason).toBe(reason);
  });

  it('keeps the retry-after hint and names the failed step', () => {
    expect(
      classifyError(new CloudError('Throttled', 'Throttling.User', 'x', { retryAfterMs: 750 })).retryAfterMs,
    ).toBe(750);
    expect(classifyError(new ApplyError(new Error('boom'), [], change)).message).toMatch(
      /^create role r: boom/,
    );
  });
});
