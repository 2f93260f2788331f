/** Step builders and the table runner shared by the authorized-side plan tests. */
import { expect } from 'vitest';
import type { PolicyRef } from '../../../../src/alicloud/ports.js';
import type { StoredCredentials } from '../../../../src/delegation/context.js';
import {
  Phase,
  type AuthorizedOp,
  type PolicyTarget,
} from '../../../../src/delegation/authorized/actions.js';
import type { DesiredAuthorized } from '../../../../src/delegation/authorized/desired.js';
import type { ObservedAuthorized } from '../../../../src/delegation/authorized/observe.js';
import { planAuthorized } from '../../../../src/delegation/authorized/plan.js';
import {
  MARKER,
  SCOPED,
  SCOPED_DOCUMENT,
  convergedWorld,
  scopedPolicy,
  sortSteps,
  stepsOf,
} from './fixtures.js';

export type Step = { phase: number; op: AuthorizedOp };
export type World = { observed: ObservedAuthorized; stored: StoredCredentials };

export const nothingStored: StoredCredentials = { accessKeyIds: new Map(), passwordsStored: new Set() };
export const emptyWorld = (): World => ({
  observed: { users: new Map(), removedUsers: [], removedGroups: [], staleGrants: [] },
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
export const step = (phase: number, op: AuthorizedOp): Step => ({ phase, op });
export const attach = (policy: PolicyRef, target: PolicyTarget) =>
  step(Phase.Provision, { op: 'attachPolicy', policy, target });
export const detach = (policy: PolicyRef, target: PolicyTarget, phase: number = Phase.Retire) =>
  step(phase, { op: 'detachPolicy', policy, target });
export const createUser = (name: string) =>
  step(Phase.Create, { op: 'createUser', userName: name, displayName: name, comments: MARKER });
export const createKey = (name: string) => step(Phase.Provision, { op: 'createAccessKey', userName: name });
export const deleteKey = (name: string, id: string, phase: number = Phase.Prepare) =>
  step(phase, { op: 'deleteAccessKey', userName: name, accessKeyId: id });
export const login = (name: string, mfa: boolean) =>
  step(Phase.Provision, {
    op: 'createLoginProfile',
    userName: name,
    principalName: `${name}@2222222222222222.onaliyun.com`,
    mfaBindRequired: mfa,
  });
export const createScoped = step(Phase.Create, {
  op: 'createPolicy',
  policyName: SCOPED,
  description: scopedPolicy().description,
  document: SCOPED_DOCUMENT,
  tags: { 'ram-delegation.dev/owner': 'prod/platform/orders' },
});
export const tagScoped = step(Phase.Prepare, {
  op: 'tagPolicy',
  policyName: SCOPED,
  tags: { 'ram-delegation.dev/owner': 'prod/platform/orders' },
});
export const addMember = (user: string, groupName = 'publishers') =>
  step(Phase.Provision, { op: 'addUserToGroup', userName: user, groupName });
export const removeMember = (user: string, groupName: string, phase: number) =>
  step(phase, { op: 'removeUserFromGroup', userName: user, groupName });

export interface Case {
  name: string;
  desired: DesiredAuthorized;
  world: () => World;
  adopt?: boolean;
  expected: Step[];
}

export const withGroup = { group: { name: 'publishers' } };
export const system = { assumeRoleGrant: 'SystemPolicy' as const };

/** Plans `desired` against the case's world and compares the steps phase by phase. */
export function checkCase({ desired, world, adopt, expected }: Case): void {
  const { observed, stored } = world();
  const plan = planAuthorized(desired, observed, stored, {
    adopt: adopt ?? false,
    correctionsAreDrift: false,
  });
  expect(plan.blocked).toBeUndefined();
  expect(stepsOf(plan.actions)).toEqual(sortSteps(expected));
}
