/** How verification shows in the status, when it is retried, and the record the status carries. */
import { describe, expect, it } from 'vitest';
import { CloudError, settling } from '../../../src/alicloud/errors.js';
import { classifyError } from '../../../src/controller/classify-error.js';
import { desiredStatus, type PassResult } from '../../../src/controller/delegation-status.js';
import { verifyRetryDelayMs } from '../../../src/controller/sync/sync-delegation.js';
import { mfaVerification } from '../../../src/delegation/verify.js';

const ARN = 'acs:ram::1111111111111111:role/r';
const now = new Date('2026-11-23T10:00:00Z');
const done = (extra: Partial<Extract<PassResult, { kind: 'Done' }>> = {}): PassResult => ({
  kind: 'Done',
  blocked: undefined,
  roleArn: ARN,
  users: [],
  verification: undefined,
  accessRevoked: undefined,
  ...extra,
});
const condition = (status: ReturnType<typeof desiredStatus>, type: string) =>
  status.conditions?.find((c) => c.type === type);

describe('requireMFA: access cannot be proven with an AccessKey', () => {
  it('AccessVerified is Unknown with RequiresMFA, and Ready does not wait for it', () => {
    const status = desiredStatus(undefined, 2, done({ verification: mfaVerification(ARN) }), now);
    expect(condition(status, 'AccessVerified')).toMatchObject({ status: 'Unknown', reason: 'RequiresMFA' });
    expect(condition(status, 'AccessVerified')?.message).toMatch(/requires MFA/);
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(condition(status, 'Reconciling')).toBeUndefined();
    expect(status.observedGeneration).toBe(2);
  });
});

describe('verifyRetryDelayMs', () => {
  const resync = 600_000;
  const since = (ms: number) => new Date(now.getTime() - ms);
  it.each([
    ['first failure', undefined, 5_000],
    ['failing for 3 s', since(3_000), 5_000],
    ['failing for 40 s: wait as long again', since(40_000), 40_000],
    ['failing for an hour: the next resync', since(3_600_000), resync],
  ])('%s', (_name, failingSince, delay) => {
    expect(verifyRetryDelayMs(failingSince, now, resync)).toBe(delay);
  });

  it('makes a handful of attempts per resync period, not one every 5 s', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < resync) {
      elapsed += verifyRetryDelayMs(attempts === 0 ? undefined : since(elapsed), now, resync);
      attempts += 1;
    }
    expect(attempts).toBeLessThanOrEqual(9);
  });
});

describe('the record in the status', () => {
  const inventory = {
    owner: { roleName: 'r', roleArn: ARN, policies: ['p'] },
    authorized: { users: ['u'], groups: [], policies: [] },
  };
  it('is written by a finished pass and by a failed one, and kept by an invalid one', () => {
    expect(desiredStatus(undefined, 1, done({ inventory }), now).inventory).toEqual(inventory);
    const failed: PassResult = {
      kind: 'Failed',
      error: classifyError(new Error('boom')),
      inventory,
    };
    expect(desiredStatus(undefined, 1, failed, now).inventory).toEqual(inventory);
    expect(desiredStatus({ inventory }, 1, { kind: 'Invalid', message: 'x' }, now).inventory).toEqual(
      inventory,
    );
  });
});

describe('waits that RAM’s lag explains', () => {
  it('are retried with backoff, not stalled', () => {
    const limit = new CloudError('LimitExceeded', 'LimitExceeded.User.AccessKey', 'two keys');
    expect(classifyError(limit).retryable).toBe(false);
    const waiting = settling(limit, 'keys RAM did not list yet');
    expect(classifyError(waiting)).toMatchObject({ retryable: true, reason: 'TransientError' });
    expect(waiting.code).toBe('LimitExceeded.User.AccessKey');
    expect(waiting.message).toMatch(/keys RAM did not list yet; retried/);
  });
});
