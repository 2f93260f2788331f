import { Reason } from '../../api/constants.js';
import { isCloudError } from '../../alicloud/errors.js';
import type { PolicyRef, RamPort } from '../../alicloud/ports.js';
import type { Change, ChangeVerb } from '../change.js';
import type { EngineOptions } from '../context.js';
import type { Ownership } from '../ownership.js';
import { ApplyError } from '../run-phased.js';
import { attachmentEntity, describePolicyRef, policyEntity, roleEntity as roleEntityOf } from './actions.js';
import { deleteCustomPolicy } from './delete-policy.js';
import type { DesiredOwner } from './desired.js';
import { ownerFromTags } from './observed.js';

/** What happened to one entity during revocation, for the caller's Event. */
export interface RevokeOutcome {
  /** `role/<name>` or `policy/<name>`. */
  entity: string;
  /** Deleted now; AlreadyAbsent (EntityNotExist: someone or an earlier pass removed it); NotManaged: left alone. */
  result: 'Deleted' | 'AlreadyAbsent' | 'NotManaged';
  /** EntityNotManaged for NotManaged. */
  reason?: Reason;
  message: string;
}

export interface OwnerRevocation {
  changes: Change[];
  /**
   * When the role was last seen with no policy attached, right before it was deleted: from this instant
   * every outstanding STS token for the role is worthless. Undefined when the role was absent or not ours.
   */
  roleHadNoPoliciesAt: Date | undefined;
  outcomes: RevokeOutcome[];
}

export interface RevokeOptions extends Pick<EngineOptions, 'concurrency' | 'clock'> {
  /** Rounds of detach-then-DeleteRole when someone keeps attaching policies (default 5). */
  maxRoleDeleteAttempts?: number;
}

const ROLE_HAS_POLICIES = 'DeleteConflict.Role.Policy';

/**
 * Revokes account A's side of a delegation (DESIGN §3), in this order:
 * 1. if the role exists and carries this delegation's tag: detach every policy from it at once (the
 *    moment access dies, recorded), then delete it; `DeleteConflict.Role.Policy` (someone attached a
 *    policy meanwhile) re-lists, detaches and retries, a bounded number of times;
 * 2. delete this delegation's custom policies (found by tag, plus the spec's names when they carry our
 *    tag), each detached from everything with all its versions.
 * EntityNotExist anywhere means already done. A role or policy without our tag is never touched.
 * A failure throws an {@link ApplyError} carrying the changes made so far; calling again is safe.
 */
export async function revokeOwner(
  ram: RamPort,
  desired: DesiredOwner,
  ownership: Ownership,
  options: RevokeOptions,
): Promise<OwnerRevocation> {
  const changes: Change[] = [];
  const outcomes: RevokeOutcome[] = [];
  const step = async <T>(
    verb: ChangeVerb,
    entity: string,
    description: string,
    work: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await work();
    } catch (cause) {
      throw new ApplyError(cause, [...changes], { side: 'owner', verb, entity, drift: false, description });
    }
  };

  const roleName = desired.role.name;
  const roleEntity = roleEntityOf(roleName);
  let roleHadNoPoliciesAt: Date | undefined;
  const role = await step('Deleted', roleEntity, `read role ${roleName}`, async () => {
    const info = await ram.getRole(roleName);
    return info && { info, owner: ownerFromTags(await ram.listTags('role', roleName), ownership) };
  });
  if (!role) {
    outcomes.push({
      entity: roleEntity,
      result: 'AlreadyAbsent',
      message: `role ${roleName} does not exist`,
    });
  } else if (role.owner.kind !== 'ours') {
    const whose =
      role.owner.kind === 'other' ? `belongs to delegation ${role.owner.owner}` : 'carries no ownership tag';
    outcomes.push({
      entity: roleEntity,
      result: 'NotManaged',
      reason: Reason.EntityNotManaged,
      message: `role ${roleName} ${whose}; it was left untouched`,
    });
  } else {
    const attempts = Math.max(1, options.maxRoleDeleteAttempts ?? 5);
    for (let attempt = 1; ; attempt++) {
      const gone = await step(
        'Detached',
        roleEntity,
        `detach every policy from role ${roleName}`,
        async () => {
          const attached = await listOrGone(ram.listPoliciesForRole(roleName));
          if (!attached) return true;
          await Promise.all(attached.map((ref) => ram.detachPolicyFromRole(ref, roleName)));
          roleHadNoPoliciesAt = options.clock();
          changes.push(...attached.map((ref) => detachedChange(ref, roleName)));
          return false;
        },
      );
      if (gone) {
        outcomes.push({
          entity: roleEntity,
          result: 'AlreadyAbsent',
          message: `role ${roleName} disappeared during revocation`,
        });
        break;
      }
      try {
        await ram.deleteRole(roleName);
        changes.push({
          side: 'owner',
          verb: 'Deleted',
          entity: roleEntity,
          drift: false,
          description: `delete role ${roleName}`,
        });
        outcomes.push({ entity: roleEntity, result: 'Deleted', message: `role ${roleName} deleted` });
        break;
      } catch (cause) {
        const retry =
          isCloudError(cause, 'Conflict') && cause.code === ROLE_HAS_POLICIES && attempt < attempts;
        if (!retry)
          throw new ApplyError(cause, [...changes], {
            side: 'owner',
            verb: 'Deleted',
            entity: roleEntity,
            drift: false,
            description: `delete role ${roleName}`,
          });
      }
    }
  }

  const tagged = await step('Deleted', 'policy/*', 'find the custom policies tagged as this delegation', () =>
    ram.findByTag('policy', ownership.tagKey, ownership.tagValue),
  );
  const names = [...new Set([...tagged, ...desired.customPolicies.map((p) => p.name)])].sort();
  await forEachLimited(names, options.concurrency, async (name) => {
    const entity = policyEntity(name);
    const description = `delete custom policy ${name} (all versions)`;
    await step('Deleted', entity, description, async () => {
      if (!tagged.includes(name)) {
        const exists = await ram.getPolicy({ policyName: name, policyType: 'Custom' });
        if (!exists) {
          outcomes.push({ entity, result: 'AlreadyAbsent', message: `custom policy ${name} does not exist` });
          return;
        }
        const owner = ownerFromTags(await ram.listTags('policy', name), ownership);
        if (owner.kind !== 'ours') {
          outcomes.push({
            entity,
            result: 'NotManaged',
            reason: Reason.EntityNotManaged,
            message: `custom policy ${name} is not this delegation's; it was left untouched`,
          });
          return;
        }
      }
      const existed = await deleteCustomPolicy(ram, name);
      if (existed) {
        changes.push({ side: 'owner', verb: 'Deleted', entity, drift: false, description });
        outcomes.push({ entity, result: 'Deleted', message: `custom policy ${name} deleted` });
      } else {
        outcomes.push({ entity, result: 'AlreadyAbsent', message: `custom policy ${name} does not exist` });
      }
    });
  });

  return { changes, roleHadNoPoliciesAt, outcomes };
}

function detachedChange(ref: PolicyRef, roleName: string): Change {
  return {
    side: 'owner',
    verb: 'Detached',
    entity: attachmentEntity(ref, roleName),
    drift: false,
    description: `detach ${describePolicyRef(ref)} from role ${roleName} (revocation)`,
  };
}

async function listOrGone<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** Runs `work` for every item, at most `limit` at a time; the first failure is rethrown after the rest settle. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined && !failure; item = queue.shift()) {
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker));
  if (failure) throw failure.error;
}
