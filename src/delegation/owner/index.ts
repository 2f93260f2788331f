/**
 * The owner side (account A) of a delegation: the role B's identities assume, its trust policy, the
 * custom policies it uses and exactly the spec's attachments. See docs/design.md#reconcile.
 */
import type { RoleInfo } from '../../alicloud/ports.js';
import {
  DEFAULT_TAG_GRACE_MS,
  type DelegationInput,
  type EngineOptions,
  type SideOutcome,
} from '../context.js';
import { InventoryRecord, type RecordedEntity } from '../inventory.js';
import { runRecorded } from '../recorded-apply.js';
import { desiredOwner } from './desired.js';
import { executeOwnerOp } from './execute.js';
import { checkGuardrails } from './guardrails.js';
import { observeOwner } from './observe.js';
import { planOwner } from './plan.js';

export { desiredOwner, roleArn } from './desired.js';
export { planOwner } from './plan.js';
export { observeOwner } from './observe.js';
export { revokeOwner, type OwnerRevocation } from './revoke.js';
export type OwnerOutcome = SideOutcome & {
  /** The role's ARN exactly as RAM returned it (GetRole or CreateRole); absent when the side is blocked. */
  roleArn?: string;
};

/**
 * One owner-side pass: desired → observe → plan → apply (the same idiom as the authorized side).
 * Guardrails are checked before any read. `synced` is true when the plan ran to completion (the side now
 * matches the spec); a blocked plan writes nothing and reports why. A failed write throws an ApplyError
 * carrying the changes made before it. The record (`input.record`) is kept true throughout.
 */
export async function reconcileOwner(
  input: DelegationInput,
  options: EngineOptions,
  /** Entities the pass will create in account B: recorded in the same write-ahead as A's (one write). */
  alsoRecord?: Promise<readonly RecordedEntity[]>,
): Promise<OwnerOutcome> {
  const desired = desiredOwner(input.spec, input.ownership, { expired: input.expired });
  const refused = checkGuardrails(desired, options);
  if (refused) return { synced: false, changes: [], blocked: refused };

  const ram = input.owner.ram;
  const record = input.record ?? new InventoryRecord();
  const observed = await observeOwner(ram, desired, input.ownership, record, {
    readTags: input.correctionsAreDrift ? 'unrecorded' : 'all',
    now: options.clock(),
    tagGraceMs: options.tagGraceMs ?? DEFAULT_TAG_GRACE_MS,
  });
  const plan = planOwner(desired, observed, {
    adopt: input.adopt,
    correctionsAreDrift: input.correctionsAreDrift,
    allowBroadPolicies: options.allowBroadPolicies,
  });
  if (plan.blocked) return { synced: false, changes: [], blocked: plan.blocked };

  let created: RoleInfo | undefined;
  const changes = await runRecorded(
    plan.actions,
    record,
    (action, report) =>
      executeOwnerOp(ram, action.op, {
        record: report,
        roleCreated: (role) => (created = role),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      }),
    { concurrency: options.concurrency },
    alsoRecord ? await alsoRecord : [],
  );
  record.note([
    { side: 'owner', kind: 'role', name: desired.role.name },
    ...desired.customPolicies.map((p) => ({ side: 'owner' as const, kind: 'policy' as const, name: p.name })),
  ]);
  const roleArn = created?.arn ?? observed.role?.info.arn;
  if (roleArn) record.setRoleArn(roleArn);
  return { synced: true, changes, ...(roleArn ? { roleArn } : {}) };
}
