import { Phase, policyRef, withMarker, type Step } from './actions.js';
import type { DesiredGroup } from './desired.js';
import type { ObservedGroup, ObservedRemovedUser } from './observe.js';

/**
 * The spec's group: it exists with the marker and its members are exactly the spec's users. The group
 * is exclusively managed: a member added out of band would inherit the grant, so it is removed.
 */
export function planGroup(
  desired: DesiredGroup,
  observed: ObservedGroup | undefined,
  marker: string,
): Step[] {
  const add = (userName: string): Step => ({
    phase: Phase.Provision,
    op: { op: 'addUserToGroup', userName, groupName: desired.name },
  });
  if (!observed) {
    return [
      { phase: Phase.Create, op: { op: 'createGroup', groupName: desired.name, comments: desired.comments } },
      ...desired.members.map(add),
    ];
  }
  const steps: Step[] = [];
  if (!observed.managed) {
    steps.push({
      phase: Phase.Prepare,
      op: { op: 'markGroup', groupName: desired.name, comments: withMarker(observed.comments, marker) },
    });
  }
  const present = new Set(observed.members);
  const wanted = new Set(desired.members);
  steps.push(...desired.members.filter((name) => !present.has(name)).map(add));
  for (const member of observed.members) {
    if (!wanted.has(member)) {
      steps.push({
        phase: Phase.Prepare,
        op: { op: 'removeUserFromGroup', userName: member, groupName: desired.name },
      });
    }
  }
  return steps;
}

/**
 * A user carrying the marker that the spec no longer names: RAM does not cascade, so its AccessKeys,
 * login profile, MFA device, group memberships and attached policies go first (Retire), then the user
 * (Delete).
 */
export function planRemovedUser(user: ObservedRemovedUser): Step[] {
  const userName = user.name;
  const retire: Step['op'][] = [
    ...user.accessKeys.map((k) => ({ op: 'deleteAccessKey' as const, userName, accessKeyId: k.accessKeyId })),
    ...(user.loginProfile ? [{ op: 'deleteLoginProfile' as const, userName }] : []),
    ...(user.mfaDevice ? [{ op: 'unbindMfaDevice' as const, userName }] : []),
    ...user.groups.map((groupName) => ({ op: 'removeUserFromGroup' as const, userName, groupName })),
    ...user.policies.map((p) => ({
      op: 'detachPolicy' as const,
      policy: policyRef(p),
      target: { kind: 'user' as const, name: userName },
    })),
  ];
  return [
    ...retire.map((op) => ({ phase: Phase.Retire, op })),
    { phase: Phase.Delete, op: { op: 'deleteUser', userName } },
  ];
}

/** A group carrying the marker that is not (or no longer) the spec's group: emptied, then deleted. */
export function planRemovedGroup(group: ObservedGroup): Step[] {
  const groupName = group.name;
  return [
    ...group.members.map((userName) => ({
      phase: Phase.Retire,
      op: { op: 'removeUserFromGroup' as const, userName, groupName },
    })),
    ...group.policies.map((p) => ({
      phase: Phase.Retire,
      op: {
        op: 'detachPolicy' as const,
        policy: policyRef(p),
        target: { kind: 'group' as const, name: groupName },
      },
    })),
    { phase: Phase.Delete, op: { op: 'deleteGroup', groupName } },
  ];
}
