/**
 * The owner side (account A) of a delegation: the role B's identities assume, its trust policy, the
 * custom policies it uses and exactly the spec's attachments. See DESIGN §3.
 */
import type { DelegationInput, EngineOptions, SideOutcome } from '../context.js';
import { runPhased } from '../run-phased.js';
import { desiredOwner } from './desired.js';
import { executeOwnerOp } from './execute.js';
import { checkGuardrails } from './guardrails.js';
import { observeOwner } from './observe.js';
import { planOwner } from './plan.js';

export { desiredOwner, emptyOwner, roleArn, type DesiredOwner, type SpecOwner } from './desired.js';
export { planOwner, type OwnerPlanOptions } from './plan.js';
export { observeOwner } from './observe.js';
export { executeOwnerOp } from './execute.js';
export { revokeOwner, type OwnerRevocation, type RevokeOptions } from './revoke.js';
export type { OwnerAction, OwnerOp } from './actions.js';
export type { ObservedOwner } from './observed.js';

export type OwnerOutcome = SideOutcome & {
  /** The role's ARN (known from the spec even before the role exists). */
  roleArn: string;
};

/**
 * One owner-side pass: desired → observe → plan → apply (the same idiom as the authorized side).
 * Guardrails are checked before any read. `synced` is true when the plan ran to completion (the side now
 * matches the spec); a blocked plan writes nothing and reports why. A failed write throws an ApplyError
 * carrying the changes made before it.
 */
export async function reconcileOwner(input: DelegationInput, options: EngineOptions): Promise<OwnerOutcome> {
  const desired = desiredOwner(input.spec, input.ownership);
  const roleArn = desired.role.arn;
  const refused = checkGuardrails(desired, options);
  if (refused) return { synced: false, changes: [], blocked: refused, roleArn };

  const ram = input.owner.ram;
  const observed = await observeOwner(ram, desired, input.ownership);
  const plan = planOwner(desired, observed, {
    adopt: input.adopt,
    correctionsAreDrift: input.correctionsAreDrift,
    allowBroadPolicies: options.allowBroadPolicies,
  });
  if (plan.blocked) return { synced: false, changes: [], blocked: plan.blocked, roleArn };

  const changes = await runPhased(
    plan.actions,
    (action, record) => executeOwnerOp(ram, action.op, { record }),
    {
      concurrency: options.concurrency,
    },
  );
  return { synced: true, changes, roleArn };
}
