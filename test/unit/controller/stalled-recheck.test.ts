/**
 * When a Stalled delegation looks again: at the resync, unless what stalled it is something no watch
 * reports (a credential Secret not created yet), which is looked at 5 s after it stalled and then at
 * doubling gaps, never later than the resync.
 */
import { describe, expect, it } from 'vitest';
import { CloudError } from '../../../src/alicloud/errors.js';
import { classifyError, type ClassifiedError } from '../../../src/controller/classify-error.js';
import { CredentialsError } from '../../../src/controller/errors.js';
import { stalled, type DelegationPass } from '../../../src/controller/pass.js';

const RESYNC_MS = 600_000;
const now = new Date('2026-12-01T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

/** A pass over a delegation whose status (as read at the pass's start) has this Stalled condition. */
function passWith(stalledCondition?: {
  status: string;
  lastTransitionTime: string;
  reason?: string;
}): DelegationPass {
  const conditions = stalledCondition
    ? [{ type: 'Stalled', reason: 'CredentialsNotFound', ...stalledCondition }]
    : [];
  return {
    key: 'default/d',
    object: { metadata: { name: 'd', namespace: 'default' }, status: { conditions } },
    deps: { resyncDelayMs: () => RESYNC_MS, clock: () => now },
  } as unknown as DelegationPass;
}

const delayOf = (outcome: ReturnType<typeof stalled>) =>
  (outcome.next as { requeueAfterMs: number }).requeueAfterMs;

const absentSecret = classifyError(
  new CredentialsError('CredentialsNotFound', 'Secret default/a not found', true),
);
const missingKey = classifyError(
  new CredentialsError('CredentialsNotFound', 'Secret default/a has no key "accessKeyId"'),
);

describe('classifyError', () => {
  it('marks an absent credential Secret unwatched, and nothing else', () => {
    expect(absentSecret).toMatchObject({ retryable: false, reason: 'CredentialsNotFound', unwatched: true });
    expect(missingKey.unwatched).toBeUndefined();
    const refused = classifyError(new CloudError('Forbidden', 'NoPermission', 'no'));
    expect(refused.unwatched).toBeUndefined();
  });
});

describe('stalled', () => {
  const cases: [string, ClassifiedError | undefined, Parameters<typeof passWith>[0], number][] = [
    ['no cause: the resync', undefined, undefined, RESYNC_MS],
    ['a missing key (its Secret is watched): the resync', missingKey, undefined, RESYNC_MS],
    ['an absent Secret, first pass: 5 s', absentSecret, undefined, 5_000],
    ['stalled for 3 s: 5 s', absentSecret, { status: 'True', lastTransitionTime: ago(3_000) }, 5_000],
    [
      'stalled for 40 s: as long again',
      absentSecret,
      { status: 'True', lastTransitionTime: ago(40_000) },
      40_000,
    ],
    [
      'stalled for 20 min: the resync',
      absentSecret,
      { status: 'True', lastTransitionTime: ago(1_200_000) },
      RESYNC_MS,
    ],
    [
      'Stalled=False (it just stalled): 5 s',
      absentSecret,
      { status: 'False', lastTransitionTime: ago(900_000) },
      5_000,
    ],
    [
      'an unreadable transition time: 5 s',
      absentSecret,
      { status: 'True', lastTransitionTime: 'soon' },
      5_000,
    ],
    [
      'Stalled for 20 min by another reason (the time stays when only the reason changes): 5 s',
      absentSecret,
      { status: 'True', lastTransitionTime: ago(1_200_000), reason: 'InvalidSpec' },
      5_000,
    ],
  ];
  it.each(cases)('%s', (_name, cause, condition, delay) => {
    expect(stalled(passWith(condition), cause)).toEqual({
      result: 'stalled',
      next: { requeueAfterMs: delay },
    });
  });

  it('makes a handful of checks per resync period, not one every 5 s', () => {
    let stalledFor: number | undefined;
    let checks = 0;
    while ((stalledFor ?? 0) < RESYNC_MS) {
      const condition =
        stalledFor === undefined ? undefined : { status: 'True', lastTransitionTime: ago(stalledFor) };
      stalledFor = (stalledFor ?? 0) + delayOf(stalled(passWith(condition), absentSecret));
      checks++;
    }
    expect(checks).toBeLessThanOrEqual(9);
  });
});
