import { ADOPT_ANNOTATION, Reason } from '../../api/constants.js';
import type { Blocked, Plan } from '../change.js';
import { policiesEqual } from '../policy-compare.js';
import {
  OwnerPhase,
  OwnerPlanBuilder,
  attachmentEntity,
  describePolicyRef,
  policyEntity,
  roleEntity,
  type OwnerAction,
  type OwnerActionBody,
} from './actions.js';
import type { DesiredOwner } from './desired.js';
import { checkGuardrails } from './guardrails.js';
import { samePolicy, type EntityOwner, type ObservedOwner, type ObservedRole } from './observed.js';
import { planCustomPolicy } from './plan-policies.js';

export { MAX_POLICY_VERSIONS, oldestNonDefault } from './plan-policies.js';

export interface OwnerPlanOptions {
  /** Take over a same-named role or policy that carries no ownership tag (it is tagged, then managed). */
  adopt: boolean;
  /** Mark every correction as drift (the spec did not change since the last Ready pass). */
  correctionsAreDrift: boolean;
  allowBroadPolicies: boolean;
}

/**
 * The writes that bring account A to the desired state, in phases (see {@link OwnerPhase}), or why none
 * may be made: PolicyTooBroad (guardrails), or EntityNotManaged when the role or a spec custom policy
 * exists without this delegation's tag (and `adopt` is off, or another delegation's tag is on it: adopt
 * never takes an entity from another delegation). Planning against the state a successful apply leaves
 * yields no actions.
 *
 * Every change is marked `drift = correctionsAreDrift`, except adoption tags (taking over is not a repair).
 */
export function planOwner(
  desired: DesiredOwner,
  observed: ObservedOwner,
  options: OwnerPlanOptions,
): Plan<OwnerAction> {
  const blocked = checkGuardrails(desired, options) ?? checkOwnership(desired, observed, options.adopt);
  if (blocked) return { actions: [], blocked };

  const plan = new OwnerPlanBuilder();
  const drift = options.correctionsAreDrift;
  planRole(plan, desired, observed.role, drift);
  for (const policy of desired.customPolicies) {
    planCustomPolicy(plan, policy, observed.customPolicies.get(policy.name), desired, drift);
  }
  planAttachments(plan, desired, observed.role, drift);

  // Custom policies this delegation made that the spec no longer names (detached above if attached).
  const specNames = new Set(desired.customPolicies.map((p) => p.name));
  for (const name of [...new Set(observed.taggedPolicies)].sort()) {
    if (specNames.has(name)) continue;
    plan.add(
      OwnerPhase.cleanup,
      { kind: 'deletePolicy', policyName: name },
      {
        verb: 'Deleted',
        entity: policyEntity(name),
        description: `delete custom policy ${name} (no longer in the spec)`,
        drift,
      },
    );
  }
  return { actions: plan.actions };
}

function planRole(
  plan: OwnerPlanBuilder,
  desired: DesiredOwner,
  observed: ObservedRole | undefined,
  drift: boolean,
): void {
  const role = desired.role;
  const entity = roleEntity(role.name);
  if (!observed) {
    const { name: roleName, trustPolicy, description, maxSessionDuration } = role;
    plan.add(
      OwnerPhase.prepare,
      { kind: 'createRole', roleName, trustPolicy, description, maxSessionDuration, tags: desired.tags },
      { verb: 'Created', entity, description: `create role ${role.name}`, drift },
    );
    return;
  }
  if (observed.owner.kind === 'unmarked') {
    plan.add(
      OwnerPhase.prepare,
      { kind: 'tagRole', roleName: role.name, tags: desired.tags },
      { verb: 'Tagged', entity, description: `adopt role ${role.name}`, drift: false },
    );
  }
  const update: Extract<OwnerActionBody, { kind: 'updateRole' }> = {
    kind: 'updateRole',
    roleName: role.name,
  };
  const fields: string[] = [];
  if (!policiesEqual(observed.info.trustPolicy, role.trustPolicy)) {
    update.trustPolicy = role.trustPolicy;
    fields.push('trust policy');
  }
  if (observed.info.maxSessionDuration !== role.maxSessionDuration) {
    update.maxSessionDuration = role.maxSessionDuration;
    fields.push(`max session duration ${observed.info.maxSessionDuration}s -> ${role.maxSessionDuration}s`);
  }
  if (observed.info.description !== role.description) {
    update.description = role.description;
    fields.push('description');
  }
  if (fields.length === 0) return;
  plan.add(OwnerPhase.prepare, update, {
    verb: 'Updated',
    entity,
    description: `update role ${role.name}: ${fields.join(', ')}`,
    drift,
  });
}

/** Exactly the desired attachments: the role is exclusively managed, anything else attached is detached. */
function planAttachments(
  plan: OwnerPlanBuilder,
  desired: DesiredOwner,
  observed: ObservedRole | undefined,
  drift: boolean,
): void {
  const roleName = desired.role.name;
  const attached = observed?.attached ?? [];
  const why = desired.suspended ? ' (suspended)' : '';
  for (const ref of attached) {
    if (desired.attachments.some((wanted) => samePolicy(wanted, ref))) continue;
    plan.add(
      OwnerPhase.prepare,
      { kind: 'detachPolicy', policy: ref, roleName },
      {
        verb: 'Detached',
        entity: attachmentEntity(ref, roleName),
        description: `detach ${describePolicyRef(ref)} from role ${roleName}${why}`,
        drift,
      },
    );
  }
  for (const ref of desired.attachments) {
    if (attached.some((have) => samePolicy(have, ref))) continue;
    plan.add(
      OwnerPhase.attach,
      { kind: 'attachPolicy', policy: ref, roleName },
      {
        verb: 'Attached',
        entity: attachmentEntity(ref, roleName),
        description: `attach ${describePolicyRef(ref)} to role ${roleName}`,
        drift,
      },
    );
  }
}

function checkOwnership(desired: DesiredOwner, observed: ObservedOwner, adopt: boolean): Blocked | undefined {
  const problems: string[] = [];
  const check = (what: string, owner: EntityOwner | undefined) => {
    if (!owner || owner.kind === 'ours') return;
    if (owner.kind === 'other') problems.push(`${what} belongs to delegation ${owner.owner}`);
    else if (!adopt) problems.push(`${what} exists without this delegation's ownership tag`);
  };
  check(`role ${desired.role.name}`, observed.role?.owner);
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
