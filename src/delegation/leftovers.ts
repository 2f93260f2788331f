import type { RamPort } from '../alicloud/ports.js';
import { toActions } from './action.js';
import { describeAuthorizedOp, type AuthorizedStep } from './authorized/actions.js';
import { executeAuthorizedOp } from './authorized/execute.js';
import { readUserForRemoval } from './authorized/observe.js';
import { planRemovedGroup, planRemovedUser } from './authorized/plan-group.js';
import type { Change } from './change.js';
import type { EngineOptions } from './context.js';
import { deleteCustomPolicy } from './delete-policy.js';
import { InventoryRecord, emptyInventory } from './inventory.js';
import type { Ownership } from './ownership.js';
import { emptyOwner, type DesiredOwner } from './owner/desired.js';
import { executeOwnerOp } from './owner/execute.js';
import { observeOwner } from './owner/observe.js';
import { planOwner } from './owner/plan.js';
import { policyEntity } from './policy-ops.js';
import { runRevocation } from './revocation.js';

/** Entities of one account that carry a delegation's ownership mark, by name. */
export interface Leftovers {
  roles: string[];
  policies: string[];
  users: string[];
  groups: string[];
}

/**
 * Deletes leftovers of a delegation that no longer exists, found by the orphan sweep in one account:
 * roles (policies detached first), custom policies (detached from everything, all versions), users
 * (keys, login profile, MFA device, memberships and policies first) and groups (emptied first). The
 * caller established that each carries the gone delegation's mark. "Already gone" is success.
 */
export async function removeLeftovers(
  ram: RamPort,
  found: Leftovers,
  ownership: Ownership,
  options: Pick<EngineOptions, 'concurrency' | 'clock' | 'sleep'>,
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const roleName of found.roles) changes.push(...(await removeRole(ram, roleName, ownership, options)));
  const record = new InventoryRecord(emptyInventory());
  const steps: AuthorizedStep[] = [];
  for (const name of found.users) {
    const user = await ram.getUser(name);
    steps.push(...planRemovedUser(user ? await readUserForRemoval(ram, name) : emptyUser(name)));
  }
  for (const name of found.groups) {
    const [members, policies] = await Promise.all([
      ram.listUsersForGroup(name).catch(() => []),
      ram.listPoliciesForGroup(name).catch(() => []),
    ]);
    steps.push(...planRemovedGroup({ name, comments: '', managed: true, members, policies }));
  }
  const actions = toActions(steps, describeAuthorizedOp, { side: 'authorized', drift: false });
  changes.push(
    ...(await runRevocation(
      actions,
      record,
      async (action) => void (await executeAuthorizedOp(ram, action.op, { generatePassword: refuse })),
      { concurrency: options.concurrency },
    )),
  );
  for (const policyName of found.policies) {
    await deleteCustomPolicy(ram, policyName);
    changes.push({
      side: 'authorized',
      verb: 'Deleted',
      entity: policyEntity(policyName),
      drift: false,
      description: `delete custom policy ${policyName} (a leftover of a deleted delegation)`,
    });
  }
  return changes;
}

/** One leftover role: every policy detached, then the role deleted (the revocation plan of account A). */
async function removeRole(
  ram: RamPort,
  roleName: string,
  ownership: Ownership,
  options: Pick<EngineOptions, 'concurrency' | 'clock' | 'sleep'>,
): Promise<Change[]> {
  const inventory = emptyInventory();
  inventory.owner.roleName = roleName;
  const record = new InventoryRecord(inventory);
  const none: DesiredOwner = emptyOwner({
    accountId: ram.accountId,
    role: undefined,
    customPolicies: [],
    specPolicies: [],
    attachments: [],
    accessRevoked: undefined,
    tags: { [ownership.tagKey]: ownership.tagValue },
  });
  const observed = await observeOwner(ram, none, ownership, record, {
    readTags: 'all',
    now: options.clock(),
    tagGraceMs: Number.POSITIVE_INFINITY,
  });
  const plan = planOwner(none, observed, {
    adopt: false,
    correctionsAreDrift: false,
    allowBroadPolicies: true,
  });
  return runRevocation(
    plan.actions,
    record,
    (action, report) =>
      executeOwnerOp(ram, action.op, { record: report, ...(options.sleep ? { sleep: options.sleep } : {}) }),
    { concurrency: options.concurrency },
  );
}

function emptyUser(name: string) {
  return { name, accessKeys: [], policies: [], groups: [] };
}

function refuse(): string {
  throw new Error('removing leftovers must not issue credentials');
}
