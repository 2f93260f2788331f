import { policyRef } from '../policy-ops.js';
import { withMarker, type AuthorizedOp, type AuthorizedStep } from './actions.js';
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
): AuthorizedStep[] {
  const add = (userName: string): AuthorizedStep => ({
    phase: 'provision',
    op: { kind: 'addUserToGroup', userName, groupName: desired.name },
  });
  if (!observed) {
    return [
      { phase: 'create', op: { kind: 'createGroup', groupName: desired.name, comments: desired.comments } },
      ...desired.members.map(add),
    ];
  }
  const steps: AuthorizedStep[] = [];
  if (!observed.managed || observed.markerMissing) {
    steps.push({
      phase: 'prepare',
      op: { kind: 'markGroup', groupName: desired.name, comments: withMarker(observed.comments, marker) },
    });
  }
  const present = new Set(observed.members);
  const wanted = new Set(desired.members);
  steps.push(...desired.members.filter((name) => !present.has(name)).map(add));
  for (const member of observed.members) {
    if (!wanted.has(member)) {
      steps.push({
        phase: 'prepare',
        op: { kind: 'removeUserFromGroup', userName: member, groupName: desired.name },
      });
    }
  }
  return steps;
}

/**
 * A user carrying the marker that the spec no longer names: RAM does not cascade, so its AccessKeys,
 * login profile, MFA device, group memberships and attached policies go first (retire), then the user
 * (delete).
 */
export function planRemovedUser(user: ObservedRemovedUser): AuthorizedStep[] {
  const userName = user.name;
  const retire: AuthorizedOp[] = [
    ...user.accessKeys.map((k): AuthorizedOp => ({
      kind: 'deleteAccessKey',
      userName,
      accessKeyId: k.accessKeyId,
    })),
    ...(user.loginProfile ? [{ kind: 'deleteLoginProfile' as const, userName }] : []),
    ...(user.mfaDevice ? [{ kind: 'unbindMfaDevice' as const, userName }] : []),
    ...user.groups.map((groupName): AuthorizedOp => ({ kind: 'removeUserFromGroup', userName, groupName })),
    ...user.policies.map((p): AuthorizedOp => ({
      kind: 'detachPolicy',
      policy: policyRef(p),
      target: { kind: 'user', name: userName },
    })),
  ];
  return [
    ...retire.map((op): AuthorizedStep => ({ phase: 'retire', op })),
    { phase: 'delete', op: { kind: 'deleteUser', userName } },
  ];
}

/** A group carrying the marker that is not (or no longer) the spec's group: emptied, then deleted. */
export function planRemovedGroup(group: ObservedGroup): AuthorizedStep[] {
  const groupName = group.name;
  return [
    ...group.members.map((userName): AuthorizedStep => ({
      phase: 'retire',
      op: { kind: 'removeUserFromGroup', userName, groupName },
    })),
    ...(group.policies ?? []).map((p): AuthorizedStep => ({
      phase: 'retire',
      op: { kind: 'detachPolicy', policy: policyRef(p), target: { kind: 'group', name: groupName } },
    })),
    { phase: 'delete', op: { kind: 'deleteGroup', groupName } },
  ];
}
