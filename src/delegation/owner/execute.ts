import { isCloudError, ServiceCode } from '../../alicloud/errors.js';
import type { RamPort } from '../../alicloud/ports.js';
import type { Change } from '../change.js';
import { describePolicyOp, executePolicyOp, isPolicyOp, type PolicyOp } from '../policy-ops.js';
import type { OwnerOp } from './actions.js';

/** What one owner action may need besides RAM. */
export interface OwnerExecution {
  /** Reports a write made besides the action's own (see `runPhased`). */
  record: (change: Change) => void;
  /** Rounds of detach-then-DeleteRole when someone keeps attaching policies (default 5). */
  maxRoleDeleteAttempts?: number;
  /** Told whenever the role was just seen with no policy attached, right before a DeleteRole. */
  roleEmptied?: () => void;
}

/** Performs one planned owner operation with RAM calls. Errors are CloudErrors from the port, unchanged. */
export async function executeOwnerOp(ram: RamPort, op: OwnerOp, execution: OwnerExecution): Promise<void> {
  if (isPolicyOp(op)) return executePolicyOp(ram, op);
  switch (op.kind) {
    case 'createRole':
      await ram.createRole({
        roleName: op.roleName,
        trustPolicy: op.trustPolicy,
        description: op.description,
        maxSessionDuration: op.maxSessionDuration,
        tags: op.tags,
      });
      return;
    case 'updateRole':
      await ram.updateRole(op.roleName, {
        ...(op.trustPolicy !== undefined ? { trustPolicy: op.trustPolicy } : {}),
        ...(op.description !== undefined ? { description: op.description } : {}),
        ...(op.maxSessionDuration !== undefined ? { maxSessionDuration: op.maxSessionDuration } : {}),
      });
      return;
    case 'tagRole':
      await ram.tag('role', op.roleName, op.tags);
      return;
    case 'deleteRole':
      await deleteRole(ram, op.roleName, execution);
      return;
  }
}

/**
 * DeleteRole on a role whose policies were detached in an earlier phase. RAM refuses with
 * `DeleteConflict.Role.Policy` when someone attached a policy meanwhile: that policy is detached too
 * (recorded as a change) and DeleteRole retried, a bounded number of times.
 */
async function deleteRole(ram: RamPort, roleName: string, execution: OwnerExecution): Promise<void> {
  const attempts = Math.max(1, execution.maxRoleDeleteAttempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      await ram.deleteRole(roleName);
      return;
    } catch (error) {
      if (!isCloudError(error, 'Conflict', ServiceCode.RoleHasPolicies) || attempt >= attempts) throw error;
    }
    const attached = await ram.listPoliciesForRole(roleName);
    const detaches = attached.map((policy): PolicyOp => ({
      kind: 'detachPolicy',
      policy,
      target: { kind: 'role', name: roleName },
    }));
    await Promise.all(detaches.map((detach) => executePolicyOp(ram, detach)));
    execution.roleEmptied?.();
    for (const detach of detaches) {
      const { verb, entity, description } = describePolicyOp(detach);
      execution.record({
        side: 'owner',
        verb,
        entity,
        drift: false,
        description: `${description} (revocation)`,
      });
    }
  }
}
