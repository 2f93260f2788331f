import type { PolicyEntities, PolicyRef } from '../../alicloud/ports.js';
import { policiesEqual } from '../policy-compare.js';
import { policyRef, targetEntity, type PolicyTarget } from '../policy-ops.js';
import type { AuthorizedStep } from './actions.js';
import { SYSTEM_ASSUME_ROLE_POLICY, type DesiredAuthorized } from './desired.js';
import type { ObservedAuthorized } from './observe.js';

/**
 * The assume grant: the scoped policy (or AliyunSTSAssumeRoleAccess) attached exactly where the spec
 * says, to the group when there is one, otherwise to each user. New attachments happen in provision,
 * removals in retire, so switching grant kind or target never leaves a moment without access.
 *
 * Only grant policies are managed on users and groups: the scoped policy (ours, tagged), any other
 * policy tagged as this delegation's grant, and AliyunSTSAssumeRoleAccess on the delegation's own users
 * and group. Other policies someone attached to a spec user are left alone. The scoped policy is ours
 * alone, so it is detached from anything else in the account (another user, group or role would gain
 * access to A's role through it).
 */
export function planGrant(desired: DesiredAuthorized, observed: ObservedAuthorized): AuthorizedStep[] {
  const steps: AuthorizedStep[] = [];
  const grant = policyRef(desired.grant.policy);
  const rightful: PolicyTarget[] =
    desired.grantTarget.kind === 'group'
      ? [{ kind: 'group', name: desired.grantTarget.name }]
      : desired.users.map((u) => ({ kind: 'user', name: u.name }));
  const isRightful = (target: PolicyTarget) => rightful.some((t) => targetEntity(t) === targetEntity(target));

  for (const target of rightful) {
    if (!attachedDirectly(observed, target, grant)) {
      steps.push({ phase: 'provision', op: { kind: 'attachPolicy', policy: grant, target } });
    }
  }

  const detach = (policy: PolicyRef, target: PolicyTarget): AuthorizedStep => ({
    phase: 'retire',
    op: { kind: 'detachPolicy', policy: policyRef(policy), target },
  });
  const ownTargets: PolicyTarget[] = [
    ...desired.users.map((u): PolicyTarget => ({ kind: 'user', name: u.name })),
    ...(desired.group ? [{ kind: 'group' as const, name: desired.group.name }] : []),
  ];
  const scoped = observed.scopedPolicy;

  if (desired.grant.kind === 'Scoped') {
    const wanted = desired.grant.scoped;
    if (!scoped) {
      steps.push({
        phase: 'create',
        op: {
          kind: 'createPolicy',
          policyName: wanted.policyName,
          description: wanted.description,
          document: wanted.document,
          tags: wanted.tags,
        },
      });
    } else {
      if (!scoped.managed || scoped.restoreTag)
        steps.push({
          phase: 'prepare',
          op: {
            kind: 'tagPolicy',
            policyName: wanted.policyName,
            tags: wanted.tags,
            ...(scoped.restoreTag ? { restore: true as const } : {}),
          },
        });
      if (!policiesEqual(scoped.document, wanted.document)) {
        steps.push({
          phase: 'create',
          op: { kind: 'createPolicyVersion', policyName: wanted.policyName, document: wanted.document },
          why: 'document differs from the spec',
        });
      }
      const attachedNow = [
        ...targetsOf(scoped.entities),
        ...ownTargets.filter((t) => attachedDirectly(observed, t, grant)),
      ];
      for (const target of attachedNow) if (!isRightful(target)) steps.push(detach(grant, target));
    }
    // The other grant kind, left over from SystemPolicy.
    for (const target of ownTargets) {
      if (attachedDirectly(observed, target, SYSTEM_ASSUME_ROLE_POLICY))
        steps.push(detach(SYSTEM_ASSUME_ROLE_POLICY, target));
    }
  } else {
    for (const target of ownTargets) {
      if (!isRightful(target) && attachedDirectly(observed, target, grant)) steps.push(detach(grant, target));
    }
    // The scoped policy left over from Scoped: ours only if it carries our tag.
    if (scoped?.managed) {
      steps.push(
        ...retirePolicy(
          scoped.policyName,
          scoped.entities,
          attachedToOwn(observed, ownTargets, scoped.policyName),
        ),
      );
    }
  }

  for (const stale of observed.staleGrants) {
    steps.push(
      ...retirePolicy(
        stale.policyName,
        stale.entities,
        attachedToOwn(observed, ownTargets, stale.policyName),
      ),
    );
  }
  return steps;
}

/**
 * Whether the observed user or group has `policy` attached to it directly: for the scoped policy, from
 * its own entity list (always read); for other policies, from the user's or group's policies, when they
 * were read (otherwise: not known to be attached).
 */
function attachedDirectly(observed: ObservedAuthorized, target: PolicyTarget, policy: PolicyRef): boolean {
  const scoped = observed.scopedPolicy;
  if (scoped && policy.policyType === 'Custom' && policy.policyName === scoped.policyName) {
    const { users, groups, roles } = scoped.entities;
    return (target.kind === 'user' ? users : target.kind === 'group' ? groups : roles).includes(target.name);
  }
  const policies =
    target.kind === 'user'
      ? observed.users.get(target.name)?.policies
      : target.kind === 'group' && observed.group?.name === target.name
        ? observed.group.policies
        : undefined;
  return (policies ?? []).some(
    (p) => p.policyName === policy.policyName && p.policyType === policy.policyType,
  );
}

function targetsOf(entities: PolicyEntities): PolicyTarget[] {
  return [
    ...entities.users.map((name): PolicyTarget => ({ kind: 'user', name })),
    ...entities.groups.map((name): PolicyTarget => ({ kind: 'group', name })),
    ...entities.roles.map((name): PolicyTarget => ({ kind: 'role', name })),
  ];
}

function attachedToOwn(
  observed: ObservedAuthorized,
  own: PolicyTarget[],
  policyName: string,
): PolicyTarget[] {
  const policy: PolicyRef = { policyName, policyType: 'Custom' };
  return own.filter((t) => attachedDirectly(observed, t, policy));
}

/** Detaches a custom grant policy from everything (retire), then deletes it (purge). */
function retirePolicy(
  policyName: string,
  entities: PolicyEntities,
  alsoAttachedTo: PolicyTarget[],
): AuthorizedStep[] {
  const policy: PolicyRef = { policyName, policyType: 'Custom' };
  const steps: AuthorizedStep[] = [...targetsOf(entities), ...alsoAttachedTo].map((target) => ({
    phase: 'retire',
    op: { kind: 'detachPolicy', policy, target },
  }));
  steps.push({ phase: 'purge', op: { kind: 'deletePolicy', policyName } });
  return steps;
}
