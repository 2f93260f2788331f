import { isCloudError, settling } from '../alicloud/errors.js';
import type { PlannedAction } from './action.js';
import type { Change } from './change.js';
import { createdEntities, deletedEntities, type InventoryRecord, type RecordedEntity } from './inventory.js';
import { ApplyError, runPhased, type ExecuteAction, type RunOptions } from './run-phased.js';

/**
 * Runs a plan with the delegation's record kept true (see inventory.ts), for both accounts:
 * 1. every role, policy, user and group the plan creates (and `alsoRecord`) is recorded first: one
 *    persisted write, only when something new is to be created;
 * 2. `EntityAlreadyExists` on such a create is RAM not showing the delegation's own entity yet when the
 *    record had it before this pass (or this pass created it): a wait, retried with backoff. Otherwise the
 *    name belongs to someone else: it leaves the record again, and the next pass reports it unmanaged;
 * 3. whatever the plan deleted by name, it confirmed gone: it leaves the record, even when a later
 *    action failed.
 */
export async function runRecorded<Op>(
  actions: readonly PlannedAction<Op>[],
  record: InventoryRecord,
  execute: ExecuteAction<Op>,
  options: RunOptions,
  /** Creates that follow later in the pass (account B's), recorded in the same write. */
  alsoRecord: readonly RecordedEntity[] = [],
): Promise<Change[]> {
  await record.intend([...createdEntities(actions.map((a) => a.change)), ...alsoRecord]);
  try {
    const changes = await runPhased(actions, createOnce(record, execute), options);
    record.gone(deletedEntities(changes));
    return changes;
  } catch (error) {
    if (error instanceof ApplyError) record.gone(deletedEntities(error.done));
    throw error;
  }
}

function createOnce<Op>(record: InventoryRecord, execute: ExecuteAction<Op>): ExecuteAction<Op> {
  return async (action, report) => {
    const [created] = createdEntities([action.change]);
    try {
      await execute(action, report);
    } catch (error) {
      if (!created || !isCloudError(error, 'AlreadyExists')) throw error;
      if (record.isOwnUnseen(created)) {
        throw settling(error, `this delegation created ${action.change.entity}; RAM does not show it yet`);
      }
      record.forget(created);
      throw error;
    }
    if (created) record.markCreated(created);
  };
}
