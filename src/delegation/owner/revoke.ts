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
import { roleEntity } from './actions.js';
import { emptyOwner, type SpecOwner } from './desired.js';
import { executeOwnerOp } from './execute.js';
import { observeOwner } from './observe.js';
import type { EntityOwner, ObservedOwner } from './observed.js';
import { planOwner } from './plan.js';

export interface OwnerRevocation extends SideRevocation {
  /**
   * When the role was last seen with no policy attached, right before it was deleted: from this instant
   * on, outstanding STS tokens for the role stop being honoured once the change has propagated.
   * Undefined when the role was absent or not ours.
   */
  roleHadNoPoliciesAt: Date | undefined;
}

export interface RevokeOptions extends Pick<EngineOptions, 'concurrency' | 'clock' | 'sleep'> {
  /** Rounds of detach-then-DeleteRole when someone keeps attaching policies (default 5). */
  maxRoleDeleteAttempts?: number;
}

/**
 * Revokes account A's side of a delegation (docs/design.md#revocation-order) by planning against the empty
 * desired state: 1. prepare: every policy is detached from the role at once, when the role is this
 * delegation's (its tag or the record says so; the moment it is left without policies is noted); 2. delete:
 * the role, by name even when RAM does not show it yet but the record has it; `DeleteConflict.Role.Policy` (a
 * policy attached meanwhile, or one a lagging read missed) waits, detaches again and retries, a bounded
 * number of times; 3. purge: this delegation's custom policies (the record's, plus the spec's when they are
 * ours), each detached from everything, with all its versions, deleted by name. Found by name from the spec
 * and the record, never by listing. EntityNotExist on a delete means gone (it leaves the record). A role or
 * policy that is neither recorded nor tagged as ours is never touched. A failure throws an ApplyError
 * carrying the changes made so far; calling again is safe.
 */
export async function revokeOwner(
  ram: RamPort,
  desired: SpecOwner,
  ownership: Ownership,
  record: InventoryRecord,
  options: RevokeOptions,
): Promise<OwnerRevocation> {
  const observed = await observeOwner(ram, desired, ownership, record, {
    readTags: 'all',
    now: options.clock(),
    tagGraceMs: Number.POSITIVE_INFINITY,
  });
  const plan = planOwner(emptyOwner(desired), observed, {
    adopt: false,
    correctionsAreDrift: false,
    allowBroadPolicies: true,
  });
  const deletesRole = plan.actions.some((a) => a.op.kind === 'deleteRole');
  let roleHadNoPoliciesAt: Date | undefined;
  const roleEmptied = () => {
    roleHadNoPoliciesAt = options.clock();
  };
  const changes = await runRevocation(
    plan.actions,
    record,
    (action, report) =>
      executeOwnerOp(ram, action.op, {
        record: report,
        roleEmptied,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.maxRoleDeleteAttempts !== undefined
          ? { maxRoleDeleteAttempts: options.maxRoleDeleteAttempts }
          : {}),
      }),
    {
      // Every detach from the role at once: access ends when the last one lands.
      concurrency: (phase, count) => (phase === 'prepare' ? count : options.concurrency),
      afterPhase: (phase) => {
        if (phase === 'prepare' && deletesRole) roleEmptied();
      },
    },
  );
  return { changes, roleHadNoPoliciesAt, outcomes: ownerOutcomes(desired, observed, changes) };
}

function whose(owner: EntityOwner | undefined): string {
  return owner?.kind === 'other' ? `belongs to delegation ${owner.owner}` : 'carries no ownership tag';
}

/** The role, then every custom policy the spec names or that carried our tag, by name. */
function ownerOutcomes(
  desired: SpecOwner,
  observed: ObservedOwner,
  changes: readonly Change[],
): RevokeOutcome[] {
  const roleName = desired.role.name;
  const role = revokeOutcome(roleEntity(roleName), `role ${roleName}`, {
    deleted: deletedIn(changes, roleEntity(roleName)),
    exists: observed.role !== undefined,
    whose: whose(observed.role?.owner),
  });
  const names = [
    ...new Set([...observed.recordedPolicies, ...desired.customPolicies.map((p) => p.name)]),
  ].sort();
  const policies = names.map((name) => {
    const spec = observed.customPolicies.get(name);
    return revokeOutcome(policyEntity(name), `custom policy ${name}`, {
      deleted: deletedIn(changes, policyEntity(name)),
      exists: spec !== undefined,
      whose: whose(spec?.owner),
    });
  });
  return [role, ...policies];
}
