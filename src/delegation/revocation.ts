import { ignoreMissing } from '../alicloud/errors.js';
import type { PlannedAction } from './action.js';
import type { Change } from './change.js';
import type { InventoryRecord } from './inventory.js';
import { runRecorded } from './recorded-apply.js';
import type { ExecuteAction, RunOptions } from './run-phased.js';

/**
 * The revocation vocabulary both sides share. A side revokes by planning against its empty desired state
 * and running that plan with {@link runRevocation}; what happened to each entity the delegation names or
 * owns is a {@link RevokeOutcome}.
 */

/** What revocation did to one entity, for the caller's Event and logs. */
export interface RevokeOutcome {
  /** `role/<name>`, `policy/<name>`, `user/<name>` or `group/<name>`. */
  entity: string;
  /**
   * Deleted: it was this delegation's and is gone now. AlreadyGone: it did not exist (someone, or an
   * earlier pass, removed it). NotManaged: it exists without this delegation's tag or marker and was left
   * untouched (the reason EntityNotManaged).
   */
  result: 'Deleted' | 'AlreadyGone' | 'NotManaged';
  message: string;
}

/** One side's revocation: the writes made and the outcome per entity. */
export interface SideRevocation {
  changes: Change[];
  outcomes: RevokeOutcome[];
}

/**
 * Runs a revocation plan with the one runner. "Already gone" (`EntityNotExist.*`) is success for every
 * action, never a reason to stop: revocation only ever moves towards nothing. What it deleted leaves the
 * record.
 */
export function runRevocation<Op>(
  actions: readonly PlannedAction<Op>[],
  record: InventoryRecord,
  execute: ExecuteAction<Op>,
  options: RunOptions,
): Promise<Change[]> {
  return runRecorded(actions, record, (action, report) => ignoreMissing(execute(action, report)), options);
}

/**
 * The outcome for one entity. `what` names it for people (`role orders`, `custom policy x`); `whose`
 * says why an existing entity that was not deleted is not this delegation's.
 */
export function revokeOutcome(
  entity: string,
  what: string,
  state: { deleted: boolean; exists: boolean; whose: string },
): RevokeOutcome {
  if (state.deleted) return { entity, result: 'Deleted', message: `${what} deleted` };
  if (!state.exists) return { entity, result: 'AlreadyGone', message: `${what} does not exist` };
  return { entity, result: 'NotManaged', message: `${what} ${state.whose}; it was left untouched` };
}

/** Whether `changes` hold the deletion of `entity`. */
export function deletedIn(changes: readonly Change[], entity: string): boolean {
  return changes.some((c) => c.verb === 'Deleted' && c.entity === entity);
}
