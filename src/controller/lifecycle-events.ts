import { ConditionType, Reason } from '../api/constants.js';
import type { CrossAccountDelegationStatus } from '../api/status.js';
import { findCondition } from './conditions.js';
import type { EventInput } from './events.js';

/**
 * The lifecycle Warnings a pass owes, from the status before it and the status it wrote: each is emitted
 * once, when its state begins (`expiresSoon`, Ready's reason `Expired`, a user's `accessKeyUnused`),
 * so a resync that finds the same state again stays silent, across restarts too. Pure.
 */
export function lifecycleEvents(
  before: CrossAccountDelegationStatus | undefined,
  after: CrossAccountDelegationStatus,
  thresholds: { unusedKeyWarning: string },
): EventInput[] {
  const events: EventInput[] = [];
  if (after.expiresSoon && !before?.expiresSoon) {
    events.push({
      type: 'Warning',
      reason: 'ExpiresSoon',
      action: 'Reconcile',
      note: `access ends at ${after.expiresAt ?? 'spec.expiresAt'}: move spec.expiresAt later if it must go on`,
    });
  }
  const readyReason = (status: CrossAccountDelegationStatus | undefined) =>
    findCondition(status?.conditions, ConditionType.Ready)?.reason;
  if (readyReason(after) === Reason.Expired && readyReason(before) !== Reason.Expired) {
    events.push({
      type: 'Warning',
      reason: 'Expired',
      action: 'Reconcile',
      note: `spec.expiresAt ${after.expiresAt ?? ''} has passed: the role has no policies any more; move spec.expiresAt later or remove it to grant access again`,
    });
  }
  for (const user of after.users ?? []) {
    if (!user.accessKeyUnused) continue;
    if (before?.users?.find((u) => u.name === user.name)?.accessKeyUnused) continue;
    const lastUse = user.accessKeyLastUsed ? `last used ${user.accessKeyLastUsed}` : 'never used';
    events.push({
      type: 'Warning',
      reason: 'AccessKeyUnused',
      action: 'Reconcile',
      note: `the AccessKey of user ${user.name} (created ${user.accessKeyCreated ?? 'at an unknown time'}, ${lastUse}) has gone unused for longer than ${thresholds.unusedKeyWarning}`,
    });
  }
  return events;
}

/** `2160h`, `90m`, `45s`: a threshold as the flags spell it. */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
