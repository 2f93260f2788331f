/** Step builders and the table runner shared by the authorized-side plan tests. */
import { expect } from 'vitest';
import type { PolicyRef } from '../../../../src/alicloud/ports.js';
import type { StoredCredentials } from '../../../../src/delegation/context.js';
import type { Phase } from '../../../../src/delegation/action.js';
import type { AuthorizedOp } from '../../../../src/delegation/authorized/actions.js';
import type { PolicyTarget } from '../../../../src/delegation/policy-ops.js';
import type { DesiredAuthorized } from '../../../../src/delegation/authorized/desired.js';
import type { ObservedAuthorized } from '../../../../src/delegation/authorized/observe.js';
import { planAuthorized } from '../../../../src/delegation/authorized/plan.js';
import { withGrant, withGroup } from '../../../support/gen.js';
import {
  MARKER,
  TAGS,
  SCOPED,
  SCOPED_DOCUMENT,
  NOW,
  convergedWorld,
  scopedPolicy,
  sortSteps,
  stepsOf,
} from './fixtures.js';

export type Step = { phase: Phase; op: AuthorizedOp };
export type World = { observed: ObservedAuthorized; stored: StoredCredentials };

export const nothingStored: StoredCredentials = { accessKeyIds: new Map(), passwordsStored: new Set() };
export const emptyWorld = (): World => ({
  observed: { users: new Map(), removedUsers: [], removedGroups: [], staleGrants: [], untouched: [] },
  stored: nothingStored,
});
/** The converged world, changed by `edit`. */
export const changed =
  (edit: (w: World) => void, options?: Parameters<typeof convergedWorld>[0]) => (): World => {
    const world = convergedWorld(options);
    edit(world);
    return world;
  };
export const observedUser = (w: World, name: string) => {
  const u = w.observed.users.get(name);
  if (!u) throw new Error(`fixture has no user ${name}`);
  return u;
};

export const u = (name: string): PolicyTarget => ({ kind: 'user', name });
export const g = (name: string): PolicyTarget => ({ kind: 'group', name });
export const step = (phase: Phase, op: AuthorizedOp): Step => ({ phase, op });
export const attach = (policy: PolicyRef, target: PolicyTarget) =>
  step('provision', { kind: 'attachPolicy', policy, target });
export const detach = (policy: PolicyRef, target: PolicyTarget, phase: Phase = 'retire') =>
  step(phase, { kind: 'detachPolicy', policy, target });
export const createUser = (name: string) =>
  step('create', { kind: 'createUser', userName: name, displayName: name, comments: MARKER });
export const createKey = (name: string) => step('provision', { kind: 'createAccessKey', userName: name });
export const deleteKey = (name: string, id: string, phase: Phase = 'prepare') =>
  step(phase, { kind: 'deleteAccessKey', userName: name, accessKeyId: id });
export const login = (name: string, mfa: boolean) =>
  step('provision', {
    kind: 'createLoginProfile',
    userName: name,
    principalName: `${name}@2222222222222222.onaliyun.com`,
    mfaBindRequired: mfa,
  });
export const createScoped = step('create', {
  kind: 'createPolicy',
  policyName: SCOPED,
  description: scopedPolicy().description,
  document: SCOPED_DOCUMENT,
  tags: TAGS,
});
export const tagScoped = step('prepare', {
  kind: 'tagPolicy',
  policyName: SCOPED,
  tags: TAGS,
});
export const addMember = (user: string, groupName = 'publishers') =>
  step('provision', { kind: 'addUserToGroup', userName: user, groupName });
export const removeMember = (user: string, groupName: string, phase: Phase) =>
  step(phase, { kind: 'removeUserFromGroup', userName: user, groupName });

export interface Case {
  name: string;
  desired: DesiredAuthorized;
  world: () => World;
  adopt?: boolean;
  expected: Step[];
}

/** The spec modifiers the cases use: a group `publishers`, or the system-policy grant. */
export const publishersGroup = withGroup('publishers');
export const systemGrant = withGrant('SystemPolicy');

/** Plans `desired` against the case's world and compares the steps phase by phase. */
export function checkCase({ desired, world, adopt, expected }: Case): void {
  const { observed, stored } = world();
  const plan = planAuthorized(desired, observed, stored, {
    adopt: adopt ?? false,
    correctionsAreDrift: false,
    now: NOW,
  });
  expect(plan.blocked).toBeUndefined();
  expect(stepsOf(plan.actions)).toEqual(sortSteps(expected));
}
