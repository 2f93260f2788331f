import type { RamPort } from '../../alicloud/ports.js';
import type { Change } from '../change.js';
import type { EngineOptions } from '../context.js';
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
 * the users and the group that carried it), every user and group carrying the marker is deleted with
 * its keys, login profile, MFA device, memberships and policies, whether or not the spec still names it.
 * Found by marker and tag, not by spec, so a half-applied or since-edited spec leaves nothing behind.
 * "Already gone" is success throughout; entities without the marker are never touched.
 */
export async function revokeAuthorized(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  options: Pick<EngineOptions, 'concurrency'> = { concurrency: 4 },
): Promise<SideRevocation> {
  const empty = emptyAuthorized(desired);
  const observed = await observeAuthorized(ram, empty, ownership, { concurrency: options.concurrency });
  const plan = planAuthorized(
    empty,
    observed,
    { accessKeyIds: new Map(), passwordsStored: new Set() },
    { adopt: false, correctionsAreDrift: false },
  );
  const changes = await runRevocation(
    plan.actions,
    async (action) => void (await executeAuthorizedOp(ram, action.op, { generatePassword: refuseSecrets })),
    { concurrency: options.concurrency },
  );
  return { changes, outcomes: await authorizedOutcomes(ram, desired, observed, changes) };
}

/**
 * The spec's users, its group and the scoped grant policy. Whether an entity that was not deleted still
 * exists (without our marker) takes one listing of users and groups, made only when it matters.
 */
async function authorizedOutcomes(
  ram: RamPort,
  desired: DesiredAuthorized,
  observed: ObservedAuthorized,
  changes: readonly Change[],
): Promise<RevokeOutcome[]> {
  const named = [
    ...desired.users.map((u) => `user/${u.name}`),
    ...(desired.group ? [`group/${desired.group.name}`] : []),
  ];
  const needListing = named.some((entity) => !deletedIn(changes, entity));
  const [users, groups] = needListing ? await Promise.all([ram.listUsers(), ram.listGroups()]) : [[], []];
  const existing = new Set([
    ...users.map((u) => `user/${u.userName}`),
    ...groups.map((g) => `group/${g.groupName}`),
  ]);
  const outcomes = named.map((entity) =>
    revokeOutcome(entity, entity.replace('/', ' '), {
      deleted: deletedIn(changes, entity),
      exists: existing.has(entity),
      whose: 'carries no ownership marker',
    }),
  );
  const scoped = desired.scopedPolicy.policyName;
  outcomes.push(
    revokeOutcome(policyEntity(scoped), `custom policy ${scoped}`, {
      deleted: deletedIn(changes, policyEntity(scoped)),
      exists: observed.scopedPolicy !== undefined,
      whose: 'carries no ownership tag',
    }),
  );
  return outcomes;
}

/** Revocation never issues credentials; a plan that tried would be a bug. */
function refuseSecrets(): string {
  throw new Error('revocation must not issue credentials');
}
