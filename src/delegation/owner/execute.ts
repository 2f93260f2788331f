import { isCloudError, orUndefined, ServiceCode } from '../../alicloud/errors.js';
import type { RamPort, RoleInfo } from '../../alicloud/ports.js';
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
  /** Told the role as RAM returned it from CreateRole (its ARN is RAM's, not the spec's). */
  roleCreated?: (role: RoleInfo) => void;
  /** Waits between DeleteRole attempts; injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** The first wait after a `DeleteConflict.Role.Policy`; it doubles per attempt (250, 500, 1000, 2000 ms). */
const ROLE_DELETE_BACKOFF_MS = 250;

/** Performs one planned owner operation with RAM calls. Errors are CloudErrors from the port, unchanged. */
export async function executeOwnerOp(ram: RamPort, op: OwnerOp, execution: OwnerExecution): Promise<void> {
  if (isPolicyOp(op)) return executePolicyOp(ram, op);
  switch (op.kind) {
    case 'createRole': {
      const role = await ram.createRole({
        roleName: op.roleName,
        trustPolicy: op.trustPolicy,
        description: op.description,
        maxSessionDuration: op.maxSessionDuration,
        tags: op.tags,
      });
      execution.roleCreated?.(role);
      return;
    }
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
 * `DeleteConflict.Role.Policy` when a policy is still attached: someone attached one meanwhile, or the
 * read before the detach did not show it yet (reads lag, DeleteRole acts on the truth). After a wait
 * that doubles each round (so a lagging read can catch up), the role's policies are listed again and
 * detached too (recorded as changes), and DeleteRole retried, a bounded number of times; then the
 * conflict goes to the caller, which retries the pass with backoff.
 */
async function deleteRole(ram: RamPort, roleName: string, execution: OwnerExecution): Promise<void> {
  const attempts = Math.max(1, execution.maxRoleDeleteAttempts ?? 5);
  const sleep = execution.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await ram.deleteRole(roleName);
      return;
    } catch (error) {
      if (!isCloudError(error, 'Conflict', ServiceCode.RoleHasPolicies) || attempt >= attempts) throw error;
    }
    await sleep(ROLE_DELETE_BACKOFF_MS * 2 ** (attempt - 1));
    // A read that does not show the role yet says nothing; only DeleteRole's answer counts.
    const attached = (await orUndefined(ram.listPoliciesForRole(roleName))) ?? [];
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
