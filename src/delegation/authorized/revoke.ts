import type { RamPort } from '../../alicloud/ports.js';
import type { Change } from '../change.js';
import type { EngineOptions } from '../context.js';
import type { InventoryRecord } from '../inventory.js';
import type { Ownership } from '../ownership.js';
import { policyEntity } from '../policy-ops.js';
import {
  deletedIn,
  revokeOutcome,
  runRevocation,
  type RevokeOutcome,
  type SideRevocation,
} from '../revocation.js';
import { emptyAuthorized, type DesiredAuthorized } from './desired.js';
import { executeAuthorizedOp } from './execute.js';
import { observeAuthorized, type ObservedAuthorized } from './observe.js';
import { planAuthorized } from './plan.js';

/**
 * Removes everything this delegation holds in account B by planning against the empty desired state:
 * the scoped grant is detached everywhere and deleted (AliyunSTSAssumeRoleAccess is only detached, with
 * the users and the group that carried it), every user and group of the delegation is deleted with its
 * keys, login profile, MFA device, memberships and policies.
 *
 * Found by name from the spec and the record (what the delegation ever created), never by listing, so a
 * half-applied or since-edited spec leaves nothing behind, and a user created a moment ago that RAM does
 * not list yet is still deleted: DeleteUser acts on the truth, and answers `DeleteConflict.User.*` while
 * something a lagging read missed still hangs on it (retried). "Already gone" is success throughout;
 * entities that are neither marked nor recorded as this delegation's are never touched.
 */
export async function revokeAuthorized(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  record: InventoryRecord,
  options: Pick<EngineOptions, 'concurrency'> = { concurrency: 4 },
): Promise<SideRevocation> {
  const empty = emptyAuthorized(desired);
  const observed = await observeAuthorized(ram, empty, ownership, record, {
    concurrency: options.concurrency,
    alsoRemove: {
      users: desired.users.map((u) => u.name),
      groups: desired.group ? [desired.group.name] : [],
    },
  });
  const plan = planAuthorized(
    empty,
    observed,
    { accessKeyIds: new Map(), passwordsStored: new Set() },
    // Against the empty desired state no user is planned, so no AccessKey timer is read.
    { adopt: false, correctionsAreDrift: false, now: new Date(0) },
  );
  const changes = await runRevocation(
    plan.actions,
    record,
    async (action) => void (await executeAuthorizedOp(ram, action.op, { generatePassword: refuseSecrets })),
    { concurrency: options.concurrency },
  );
  return { changes, outcomes: authorizedOutcomes(desired, observed, changes) };
}

/** The spec's users and group, the recorded ones, and the scoped grant policy. */
function authorizedOutcomes(
  desired: DesiredAuthorized,
  observed: ObservedAuthorized,
  changes: readonly Change[],
): RevokeOutcome[] {
  const named = new Set([
    ...desired.users.map((u) => `user/${u.name}`),
    ...(desired.group ? [`group/${desired.group.name}`] : []),
    ...observed.removedUsers.map((u) => `user/${u.name}`),
    ...observed.removedGroups.map((g) => `group/${g.name}`),
  ]);
  const outcomes = [...named].sort().map((entity) =>
    revokeOutcome(entity, entity.replace('/', ' '), {
      deleted: deletedIn(changes, entity),
      exists: observed.untouched.includes(entity),
      whose: "is neither marked nor recorded as this delegation's",
    }),
  );
  const scoped = desired.scopedPolicy.policyName;
  outcomes.push(
    revokeOutcome(policyEntity(scoped), `custom policy ${scoped}`, {
      deleted: deletedIn(changes, policyEntity(scoped)),
      exists: observed.scopedPolicy !== undefined,
      whose: 'carries no ownership tag and is not recorded',
    }),
  );
  return outcomes;
}

/** Revocation never issues credentials; a plan that tried would be a bug. */
function refuseSecrets(): string {
  throw new Error('revocation must not issue credentials');
}
