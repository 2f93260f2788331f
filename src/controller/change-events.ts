import type { Change } from '../delegation/change.js';
import type { RevocationOutcome } from '../delegation/engine.js';
import type { EventInput } from './events.js';

const MAX_LISTED = 8;

function list(changes: readonly Change[]): string {
  const shown = changes
    .slice(0, MAX_LISTED)
    .map((c) => `${c.side === 'owner' ? 'A' : 'B'}: ${c.description}`);
  const more = changes.length > MAX_LISTED ? `; and ${changes.length - MAX_LISTED} more` : '';
  return shown.join('; ') + more;
}

/**
 * The Events a reconcile pass's writes deserve: DriftCorrected (Warning) for corrections of out-of-band
 * changes, AccessKeyRotated for each rotated key, Created when the role was created, Updated for any
 * other change the spec asked for (scheduled ones included: a rotation's grace period, an expiry). No
 * writes, no Events: a resync that finds nothing to do stays silent.
 */
export function changeEvents(changes: readonly Change[]): EventInput[] {
  const events: EventInput[] = [];
  const drift = changes.filter((c) => c.drift);
  const rotated = changes.filter((c) => !c.drift && c.verb === 'Rotated');
  const planned = changes.filter((c) => !c.drift && c.verb !== 'Rotated');
  if (drift.length > 0) {
    events.push({
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: `corrected ${drift.length} out-of-band change(s): ${list(drift)}`,
    });
  }
  for (const change of rotated) {
    events.push({
      type: 'Normal',
      reason: 'AccessKeyRotated',
      action: 'Reconcile',
      note: `${change.description}; the previous key is deactivated after its grace period and deleted after another`,
    });
  }
  if (planned.length > 0) {
    const created = planned.some((c) => c.verb === 'Created' && c.entity.startsWith('role/'));
    events.push({
      type: 'Normal',
      reason: created ? 'Created' : 'Updated',
      action: 'Reconcile',
      note: `${created ? 'created the delegation' : 'applied the spec'} with ${planned.length} change(s): ${list(planned)}`,
    });
  }
  return events;
}

/**
 * The Revoked Event: what is guaranteed and when, and what was removed. The operator knows when the
 * role was left without policies (then deleted); RAM stops honouring outstanding STS tokens once that
 * change has propagated, which the operator cannot observe, so the note says exactly that and no more.
 * `deletionTimestamp` has whole-second precision, so the figure is measured from when the operator
 * began revoking; the request time is given for reference.
 */
export function revokedEvent(outcome: RevocationOutcome, requestedAt: Date | undefined): EventInput {
  const access =
    outcome.accessRevokedAfterMs === undefined
      ? 'the role was already gone'
      : `the role had no policies ${outcome.accessRevokedAfterMs} ms after revocation began (at ${new Date(outcome.startedAt.getTime() + outcome.accessRevokedAfterMs).toISOString()}) and was then deleted; Alibaba Cloud stops honouring STS tokens issued for it once that change has propagated`;
  const removed = [...outcome.owner.changes, ...(outcome.authorized?.changes ?? [])].filter(
    (c) => c.verb === 'Deleted',
  ).length;
  const leftovers = outcome.authorizedError
    ? `; account B was not cleaned: ${outcome.authorizedError.message}`
    : '';
  const requested = requestedAt ? `; deletion requested at ${requestedAt.toISOString()}` : '';
  return {
    type: outcome.authorizedError ? 'Warning' : 'Normal',
    reason: 'Revoked',
    action: 'Revoke',
    note: `${access}; ${removed} entit${removed === 1 ? 'y' : 'ies'} deleted in ${outcome.finishedAt.getTime() - outcome.startedAt.getTime()} ms${requested}${leftovers}`,
  };
}
