import type { Change } from '../delegation/change.js';
import type { RevocationOutcome } from '../delegation/engine.js';
import type { EventInput } from './events.js';

const MAX_LISTED = 8;

function list(changes: readonly Change[]): string {
  const shown = changes.slice(0, MAX_LISTED).map((c) => `${c.side === 'owner' ? 'A' : 'B'}: ${c.description}`);
  const more = changes.length > MAX_LISTED ? `; and ${changes.length - MAX_LISTED} more` : '';
  return shown.join('; ') + more;
}

/**
 * The Events a reconcile pass's writes deserve: DriftCorrected (Warning) for corrections of out-of-band
 * changes, Created when the role was created, Updated for any other spec-driven change. No writes, no
 * Events: a resync that finds nothing to do stays silent.
 */
export function changeEvents(changes: readonly Change[]): EventInput[] {
  const events: EventInput[] = [];
  const drift = changes.filter((c) => c.drift);
  const planned = changes.filter((c) => !c.drift);
  if (drift.length > 0) {
    events.push({ type: 'Warning', reason: 'DriftCorrected', action: 'Reconcile', note: `corrected ${drift.length} out-of-band change(s): ${list(drift)}` });
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

/** The Revoked Event: how long access outlived the request, and what was removed. */
export function revokedEvent(outcome: RevocationOutcome, requestedAt: Date | undefined): EventInput {
  const started = requestedAt ?? outcome.startedAt;
  const revokedAt = outcome.accessRevokedAfterMs === undefined ? undefined : outcome.startedAt.getTime() + outcome.accessRevokedAfterMs;
  const access =
    revokedAt === undefined
      ? 'the role was already gone'
      : `access ended ${Math.max(0, revokedAt - started.getTime())} ms after the delete request (every policy detached from the role)`;
  const removed = [...outcome.owner.changes, ...(outcome.authorized?.changes ?? [])].filter((c) => c.verb === 'Deleted').length;
  const leftovers = outcome.authorizedError ? `; account B was not cleaned: ${outcome.authorizedError.message}` : '';
  return {
    type: outcome.authorizedError ? 'Warning' : 'Normal',
    reason: 'Revoked',
    action: 'Revoke',
    note: `${access}; ${removed} entit${removed === 1 ? 'y' : 'ies'} deleted in ${outcome.finishedAt.getTime() - started.getTime()} ms${leftovers}`,
  };
}
