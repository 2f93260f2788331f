import { isCloudError } from '../../alicloud/errors.js';
import type { RamPort } from '../../alicloud/ports.js';
import type { Change } from '../change.js';
import type { EngineOptions } from '../context.js';
import type { Ownership } from '../ownership.js';
import { runPhased } from '../run-phased.js';
import { SYSTEM_ASSUME_ROLE_POLICY, type DesiredAuthorized } from './desired.js';
import { executeAuthorizedAction } from './execute.js';
import { observeAuthorized } from './observe.js';
import { planAuthorized } from './plan.js';

/** What revocation did to one of the spec's entities in account B. */
export interface RevokeOutcome {
  /** `user/<name>`, `group/<name>` or `policy/<name>`. */
  entity: string;
  /** Deleted: it was ours and is gone now. AlreadyGone: it did not exist. NotManaged: it exists without
   *  this delegation's marker and was left untouched. */
  result: 'Deleted' | 'AlreadyGone' | 'NotManaged';
}

export interface RevokeResult {
  changes: Change[];
  outcomes: RevokeOutcome[];
}

/**
 * Removes everything this delegation holds in account B: the scoped grant is detached everywhere and
 * deleted (AliyunSTSAssumeRoleAccess is only detached, with the users and the group that carried it),
 * every user and group carrying the marker is deleted with its keys, login profile, MFA device,
 * memberships and policies, whether or not the spec still names it. Found by marker and tag, not by
 * spec, so a half-applied or since-edited spec leaves nothing behind. "Already gone" is success
 * throughout; entities without the marker are never touched.
 */
export async function revokeAuthorized(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  options: Pick<EngineOptions, 'concurrency'> = { concurrency: 4 },
): Promise<RevokeResult> {
  const nothing: DesiredAuthorized = {
    ...desired,
    users: [],
    group: undefined,
    grant: { kind: 'SystemPolicy', policy: SYSTEM_ASSUME_ROLE_POLICY },
    grantTarget: { kind: 'users' },
  };
  const observed = await observeAuthorized(ram, nothing, ownership, { concurrency: options.concurrency });
  const plan = planAuthorized(
    nothing,
    observed,
    { accessKeyIds: new Map(), passwordsStored: new Set() },
    { adopt: false, correctionsAreDrift: false },
  );
  const changes = await runPhased(
    plan.actions,
    async (action) => {
      try {
        await executeAuthorizedAction(ram, action, { generatePassword: refuseSecrets });
      } catch (error) {
        if (!isCloudError(error, 'NotFound')) throw error;
      }
    },
    { concurrency: options.concurrency },
  );

  const deletedUsers = new Set(observed.removedUsers.map((u) => u.name));
  const deletedGroups = new Set(observed.removedGroups.map((g) => g.name));
  const needListing =
    desired.users.some((u) => !deletedUsers.has(u.name)) ||
    (desired.group && !deletedGroups.has(desired.group.name));
  const [users, groups] = needListing ? await Promise.all([ram.listUsers(), ram.listGroups()]) : [[], []];
  const existingUsers = new Set(users.map((u) => u.userName));
  const existingGroups = new Set(groups.map((g) => g.groupName));
  const outcome = (entity: string, deleted: boolean, exists: boolean): RevokeOutcome => ({
    entity,
    result: deleted ? 'Deleted' : exists ? 'NotManaged' : 'AlreadyGone',
  });
  const scoped = observed.scopedPolicy;
  const outcomes: RevokeOutcome[] = [
    ...desired.users.map((u) =>
      outcome(`user/${u.name}`, deletedUsers.has(u.name), existingUsers.has(u.name)),
    ),
    ...(desired.group
      ? [
          outcome(
            `group/${desired.group.name}`,
            deletedGroups.has(desired.group.name),
            existingGroups.has(desired.group.name),
          ),
        ]
      : []),
    outcome(`policy/${desired.scopedPolicy.policyName}`, !!scoped?.managed, !!scoped),
  ];
  return { changes, outcomes };
}

/** Revocation never issues credentials; a plan that tried would be a bug. */
function refuseSecrets(): string {
  throw new Error('revocation must not issue credentials');
}
