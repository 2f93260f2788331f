/** Shared helpers for the authorized-side unit tests: desired state from the one spec builder, hand-built observations. */
import type { PolicyRef } from '../../../../src/alicloud/ports.js';
import { PHASES, type Phase } from '../../../../src/delegation/action.js';
import type { StoredCredentials } from '../../../../src/delegation/context.js';
import type { AuthorizedAction, AuthorizedOp } from '../../../../src/delegation/authorized/actions.js';
import { desiredAuthorized, type DesiredAuthorized } from '../../../../src/delegation/authorized/desired.js';
import type {
  ObservedAuthorized,
  ObservedGroup,
  ObservedRemovedUser,
  ObservedScopedPolicy,
  ObservedUser,
} from '../../../../src/delegation/authorized/observe.js';
import {
  OWNER_ACCOUNT as A,
  ROLE_ARN,
  TEST_OWNERSHIP,
  aDelegation,
  type SpecModifier,
} from '../../../support/gen.js';

export const ownership = TEST_OWNERSHIP;
export const MARKER = TEST_OWNERSHIP.marker;
export const TAGS = { [TEST_OWNERSHIP.tagKey]: TEST_OWNERSHIP.tagValue };
export const SCOPED = `AssumeRole-${A}-orders-bus-publisher`;
export const SCOPED_REF: PolicyRef = { policyName: SCOPED, policyType: 'Custom' };
export const SYSTEM_REF: PolicyRef = { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' };
export const SCOPED_DOCUMENT = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"${ROLE_ARN}"}]}`;

/** Account B's desired state for the seed spec (Programmatic `orders-publisher`, Console `alice`), changed by `modifiers`. */
export function desiredOf(...modifiers: SpecModifier[]): DesiredAuthorized {
  return desiredAuthorized(aDelegation(...modifiers), ownership, ROLE_ARN);
}

export const keyIdOf = (user: string) => `LTAI-${user}`;

/** The clock of every plan in these tests: an hour after the fixtures' keys were created. */
export const NOW = new Date('2026-11-23T10:00:00Z');

/** A managed user as the observer reports it. */
export function user(name: string, patch: Partial<ObservedUser> = {}): ObservedUser {
  return { name, comments: MARKER, managed: true, accessKeys: [], policies: [], ...patch };
}

export function removedUser(name: string, patch: Partial<ObservedRemovedUser> = {}): ObservedRemovedUser {
  return { name, accessKeys: [], policies: [], groups: [], ...patch };
}

export function group(name: string, patch: Partial<ObservedGroup> = {}): ObservedGroup {
  return { name, comments: MARKER, managed: true, members: [], policies: [], ...patch };
}

export function key(id: string, status: 'Active' | 'Inactive' = 'Active') {
  return { accessKeyId: id, status, createDate: '2026-11-23T09:00:00Z' };
}

export function scopedPolicy(patch: Partial<ObservedScopedPolicy> = {}): ObservedScopedPolicy {
  return {
    policyName: SCOPED,
    description: `Allows sts:AssumeRole on role orders-bus-publisher of account ${A}. Managed by ${MARKER}`,
    document: SCOPED_DOCUMENT,
    managed: true,
    entities: { users: [], groups: [], roles: [] },
    ...patch,
  };
}

/**
 * Account B exactly as the seed spec wants it, written out by hand (not derived from the planner), with
 * the credentials the caller stored: `orders-publisher` holds key LTAI-orders-publisher, alice's
 * password is stored. `withGroup` puts both users in group `publishers` with the grant on the group.
 */
export function convergedWorld(options: { withGroup?: boolean; system?: boolean } = {}): {
  observed: ObservedAuthorized;
  stored: StoredCredentials;
} {
  const grant = options.system ? SYSTEM_REF : SCOPED_REF;
  const direct = options.withGroup ? [] : [grant];
  const users = new Map<string, ObservedUser>([
    [
      'orders-publisher',
      user('orders-publisher', { accessKeys: [key(keyIdOf('orders-publisher'))], policies: [...direct] }),
    ],
    [
      'alice',
      user('alice', {
        loginProfile: { passwordResetRequired: true, mfaBindRequired: true },
        policies: [...direct],
      }),
    ],
  ]);
  const observed: ObservedAuthorized = {
    users,
    removedUsers: [],
    removedGroups: [],
    staleGrants: [],
    untouched: [],
    ...(options.withGroup
      ? { group: group('publishers', { members: ['orders-publisher', 'alice'], policies: [grant] }) }
      : {}),
    ...(options.system
      ? {}
      : {
          scopedPolicy: scopedPolicy({
            entities: options.withGroup
              ? { users: [], groups: ['publishers'], roles: [] }
              : { users: ['orders-publisher', 'alice'], groups: [], roles: [] },
          }),
        }),
  };
  const stored: StoredCredentials = {
    accessKeyIds: new Map([['orders-publisher', keyIdOf('orders-publisher')]]),
    passwordsStored: new Set(['alice']),
  };
  return { observed, stored };
}

/** Steps of a plan in a comparable form: phase and operation, sorted within each phase. */
export function stepsOf(actions: readonly AuthorizedAction[]): { phase: Phase; op: AuthorizedOp }[] {
  return sortSteps(actions.map((a) => ({ phase: a.phase, op: a.op })));
}

export function sortSteps<T extends { phase: Phase; op: AuthorizedOp }>(steps: readonly T[]): T[] {
  const order = (step: T) => PHASES.indexOf(step.phase);
  return [...steps].sort((x, y) => order(x) - order(y) || canonical(x.op).localeCompare(canonical(y.op)));
}

/** JSON with object keys sorted, so the order keys were written in never matters. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
