import { ADOPT_ANNOTATION, Reason } from '../../api/constants.js';
import { toActions, type Plan, type Step } from '../action.js';
import type { Blocked } from '../change.js';
import { policiesEqual } from '../policy-compare.js';
import { samePolicy, type PolicyTarget } from '../policy-ops.js';
import { describeOwnerOp, type OwnerOp, type RoleOp } from './actions.js';
import type { DesiredOwner, DesiredRole } from './desired.js';
import { checkGuardrails } from './guardrails.js';
import type { EntityOwner, ObservedOwner, ObservedRole } from './observed.js';
import { planCustomPolicy } from './plan-policies.js';

export { oldestNonDefault } from './plan-policies.js';

export interface OwnerPlanOptions {
  /** Take over a same-named role or policy that carries no ownership tag (it is tagged, then managed). */
  adopt: boolean;
  /** Mark every correction as drift (the spec did not change since the last Ready pass). */
  correctionsAreDrift: boolean;
  allowBroadPolicies: boolean;
}

/**
 * The writes that bring account A to the desired state, in phases (see `PHASES`), or why none may be
 * made: PolicyTooBroad (guardrails), or EntityNotManaged when the role or a spec custom policy exists
 * without this delegation's tag (and `adopt` is off, or another delegation's tag is on it: adopt never
 * takes an entity from another delegation). Planning against the state a successful apply leaves yields
 * no actions.
 *
 * Against the empty desired state (revocation) the role, when it is ours, loses every policy and is
 * deleted, and every custom policy observed as ours is deleted; what is not ours is left alone.
 */
export function planOwner(
  desired: DesiredOwner,
  observed: ObservedOwner,
  options: OwnerPlanOptions,
): Plan<OwnerOp> {
  const blocked = checkGuardrails(desired, options) ?? checkOwnership(desired, observed, options.adopt);
  if (blocked) return { actions: [], blocked };

  // Without a desired role only our own role is touched (with one, the ownership check passed).
  const role = desired.role || observed.role?.owner.kind === 'ours' ? observed.role : undefined;
  const steps: Step<OwnerOp>[] = [
    ...planRole(desired, role, observed.recordedRole),
    ...desired.customPolicies.flatMap((policy) =>
      planCustomPolicy(policy, observed.customPolicies.get(policy.name), desired.tags),
    ),
    ...planAttachments(desired, role),
    ...planRemovedPolicies(desired, observed),
  ];
  return {
    actions: toActions(steps, describeOwnerOp, { side: 'owner', drift: options.correctionsAreDrift }),
  };
}

function planRole(
  desired: DesiredOwner,
  observed: ObservedRole | undefined,
  recordedRole: string | undefined,
): Step<OwnerOp>[] {
  const role = desired.role;
  if (!role) {
    // A recorded role RAM does not show may exist all the same: DeleteRole by name tells the truth.
    const roleName = observed?.info.roleName ?? recordedRole;
    return roleName ? [{ phase: 'delete', op: { kind: 'deleteRole', roleName }, why: 'revocation' }] : [];
  }
  if (!observed) {
    const { name: roleName, trustPolicy, description, maxSessionDuration } = role;
    const create: RoleOp = {
      kind: 'createRole',
      roleName,
      trustPolicy,
      description,
      maxSessionDuration,
      tags: desired.tags,
    };
    return [{ phase: 'create', op: create }];
  }
  const steps: Step<OwnerOp>[] = [];
  if (observed.owner.kind === 'unmarked') {
    steps.push({ phase: 'prepare', op: { kind: 'tagRole', roleName: role.name, tags: desired.tags } });
  } else if (observed.owner.kind === 'ours' && observed.owner.restoreTag) {
    steps.push({
      phase: 'prepare',
      op: { kind: 'tagRole', roleName: role.name, tags: desired.tags, restore: true },
    });
  }
  const update = roleUpdate(role, observed);
  if (update) steps.push({ phase: 'prepare', op: update });
  return steps;
}

/** The fields of the role that differ from the spec, or undefined when none does. */
function roleUpdate(role: DesiredRole, observed: ObservedRole): RoleOp | undefined {
  const trustPolicy = policiesEqual(observed.info.trustPolicy, role.trustPolicy)
    ? undefined
    : role.trustPolicy;
  const maxSessionDuration =
    observed.info.maxSessionDuration === role.maxSessionDuration ? undefined : role.maxSessionDuration;
  const description = observed.info.description === role.description ? undefined : role.description;
  if (trustPolicy === undefined && maxSessionDuration === undefined && description === undefined)
    return undefined;
  return {
    kind: 'updateRole',
    roleName: role.name,
    ...(trustPolicy !== undefined ? { trustPolicy } : {}),
    ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/**
 * Exactly the desired attachments: the role is exclusively managed, anything else attached is detached
 * first (prepare: its privileges shrink before anything grows); missing ones are attached once the role
 * and the policies exist (provision).
 */
function planAttachments(desired: DesiredOwner, observed: ObservedRole | undefined): Step<OwnerOp>[] {
  const roleName = desired.role?.name ?? observed?.info.roleName;
  if (roleName === undefined) return [];
  const target: PolicyTarget = { kind: 'role', name: roleName };
  const attached = observed?.attached ?? [];
  const why = !desired.role ? 'revocation' : desired.accessRevoked;
  // Expiry comes by the clock, on whatever pass: never drift.
  const scheduled = desired.role !== undefined && desired.accessRevoked === 'expired';
  const steps: Step<OwnerOp>[] = [];
  for (const policy of attached) {
    if (desired.attachments.some((wanted) => samePolicy(wanted, policy))) continue;
    steps.push({
      phase: 'prepare',
      op: { kind: 'detachPolicy', policy, target },
      ...(why ? { why } : {}),
      ...(scheduled ? { scheduled } : {}),
    });
  }
  for (const policy of desired.attachments) {
    if (attached.some((have) => samePolicy(have, policy))) continue;
    steps.push({ phase: 'provision', op: { kind: 'attachPolicy', policy, target } });
  }
  return steps;
}

/**
 * Custom policies this delegation made that the desired state does not name: recorded (deleted by name,
 * whether or not RAM shows them yet) or spec policies observed as ours. They were detached from the role
 * above; the deletion detaches them from anything else.
 */
function planRemovedPolicies(desired: DesiredOwner, observed: ObservedOwner): Step<OwnerOp>[] {
  const wanted = new Set(desired.customPolicies.map((p) => p.name));
  const ours = [...observed.customPolicies].flatMap(([name, policy]) =>
    policy?.owner.kind === 'ours' ? [name] : [],
  );
  return [...new Set([...observed.recordedPolicies, ...ours])]
    .filter((name) => !wanted.has(name))
    .sort()
    .map((policyName) => ({
      phase: 'purge',
      op: { kind: 'deletePolicy', policyName },
      why: desired.role ? 'no longer in the spec' : 'revocation',
    }));
}

function checkOwnership(desired: DesiredOwner, observed: ObservedOwner, adopt: boolean): Blocked | undefined {
  const problems: string[] = [];
  const check = (what: string, owner: EntityOwner | undefined) => {
    if (!owner || owner.kind === 'ours') return;
    if (owner.kind === 'other') problems.push(`${what} belongs to delegation ${owner.owner}`);
    else if (!adopt) problems.push(`${what} exists without this delegation's ownership tag`);
  };
  if (desired.role) check(`role ${desired.role.name}`, observed.role?.owner);
  for (const policy of desired.customPolicies) {
    check(`custom policy ${policy.name}`, observed.customPolicies.get(policy.name)?.owner);
  }
  if (problems.length === 0) return undefined;
  return {
    reason: Reason.EntityNotManaged,
    message:
      `${problems.join('; ')}. Nothing was changed in account ${desired.accountId}; rename, remove the entity, ` +
      `or annotate the delegation ${ADOPT_ANNOTATION}: "true" to take over untagged entities`,
  };
}
