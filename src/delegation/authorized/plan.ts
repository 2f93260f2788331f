import { ADOPT_ANNOTATION, Reason } from '../../api/constants.js';
import { toActions, type Plan } from '../action.js';
import type { Blocked } from '../change.js';
import type { StoredCredentials } from '../context.js';
import { describeAuthorizedOp, type AuthorizedOp, type AuthorizedStep } from './actions.js';
import type { DesiredAuthorized } from './desired.js';
import type { ObservedAuthorized } from './observe.js';
import { planGrant } from './plan-grant.js';
import { planGroup, planRemovedGroup, planRemovedUser } from './plan-group.js';
import { planUser, type KeyClock } from './plan-users.js';

export interface AuthorizedPlanOptions extends KeyClock {
  /** Take over same-named entities that lack this delegation's marker (the adopt annotation). */
  adopt: boolean;
  /** Mark every planned change as drift (a resync of an unchanged spec). */
  correctionsAreDrift: boolean;
}

/**
 * The writes that bring account B to `desired`, in phases (see `PHASES`). Pure: everything it needs is in
 * its arguments. Nothing is planned when a spec user, the spec group or the scoped grant policy exists
 * without this delegation's marker (and `adopt` is off): the side is then blocked with EntityNotManaged.
 * After a successful apply, with the issued credentials recorded in `stored`, the next plan is empty
 * (until an AccessKey timer falls due: `wakeAt`; see access-keys.ts).
 * Against the empty desired state (revocation) everything carrying the marker or tag is removed.
 */
export function planAuthorized(
  desired: DesiredAuthorized,
  observed: ObservedAuthorized,
  stored: StoredCredentials,
  options: AuthorizedPlanOptions,
): Plan<AuthorizedOp> {
  const unmanaged = unmanagedEntities(desired, observed);
  if (unmanaged.length > 0 && !options.adopt)
    return { actions: [], blocked: blockedBy(unmanaged, desired.accountId) };

  const users = desired.users.map((user) =>
    planUser(user, observed.users.get(user.name), stored, desired.marker, options),
  );
  const steps: AuthorizedStep[] = [
    ...users.flatMap((user) => user.steps),
    ...(desired.group ? planGroup(desired.group, observed.group, desired.marker) : []),
    ...planGrant(desired, observed),
    ...observed.removedUsers.flatMap(planRemovedUser),
    ...observed.removedGroups.flatMap(planRemovedGroup),
  ];
  const actions = toActions(steps, describeAuthorizedOp, {
    side: 'authorized',
    drift: options.correctionsAreDrift,
  });
  const wakes = users.flatMap((user) => (user.wakeAt ? [user.wakeAt.getTime()] : []));
  return wakes.length > 0 ? { actions, wakeAt: new Date(Math.min(...wakes)) } : { actions };
}

/** `user/x`, `group/y`, `policy/z` for the spec's entities that exist without this delegation's marker. */
function unmanagedEntities(desired: DesiredAuthorized, observed: ObservedAuthorized): string[] {
  const found: string[] = [];
  for (const user of desired.users) {
    if (observed.users.get(user.name)?.managed === false) found.push(`user/${user.name}`);
  }
  if (observed.group && !observed.group.managed) found.push(`group/${observed.group.name}`);
  const scoped = observed.scopedPolicy;
  if (desired.grant.kind === 'Scoped' && scoped && !scoped.managed) {
    found.push(`policy/${scoped.policyName}`);
  }
  return found;
}

export function blockedBy(entities: string[], accountId: string): Blocked {
  return {
    reason: Reason.EntityNotManaged,
    message:
      `${entities.join(', ')} already exist${entities.length === 1 ? 's' : ''} in account ${accountId} without this ` +
      `delegation's ownership marker; remove or rename them, or annotate the resource ${ADOPT_ANNOTATION}: "true" to take them over`,
  };
}
