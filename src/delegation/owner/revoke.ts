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
import { roleEntity } from './actions.js';
import { emptyOwner, type SpecOwner } from './desired.js';
import { executeOwnerOp } from './execute.js';
import { observeOwner } from './observe.js';
import type { EntityOwner, ObservedOwner } from './observed.js';
import { planOwner } from './plan.js';

export interface OwnerRevocation extends SideRevocation {
  /**
   * When the role was last seen with no policy attached, right before it was deleted: from this instant
   * every outstanding STS token for the role is worthless. Undefined when the role was absent or not ours.
   */
  roleHadNoPoliciesAt: Date | undefined;
}

export interface RevokeOptions extends Pick<EngineOptions, 'concurrency' | 'clock'> {
  /** Rounds of detach-then-DeleteRole when someone keeps attaching policies (default 5). */
  maxRoleDeleteAttempts?: number;
}

/**
 * Revokes account A's side of a delegation (DESIGN §3) by planning against the empty desired state:
 * 1. prepare: every policy is detached from the role at once, when the role carries this delegation's
 *    tag (the moment access dies is recorded);
 * 2. delete: the role; `DeleteConflict.Role.Policy` (someone attached a policy meanwhile) detaches again
 *    and retries, a bounded number of times;
 * 3. purge: this delegation's custom policies (found by tag, plus the spec's names when they carry our
 *    tag), each detached from everything, with all its versions.
 * Observed with the spec's names, so the spec's role and policies are found even when RAM's tag index
 * lags. EntityNotExist anywhere means already done. A role or policy without our tag is never touched.
 * A failure throws an ApplyError carrying the changes made so far; calling again is safe.
 */
export async function revokeOwner(
  ram: RamPort,
  desired: SpecOwner,
  ownership: Ownership,
  options: RevokeOptions,
): Promise<OwnerRevocation> {
  const observed = await observeOwner(ram, desired, ownership);
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
    (action, record) =>
      executeOwnerOp(ram, action.op, {
        record,
        roleEmptied,
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
    ...new Set([...observed.taggedPolicies, ...desired.customPolicies.map((p) => p.name)]),
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
