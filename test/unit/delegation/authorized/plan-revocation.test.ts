/** planAuthorized against the empty desired state: what revocation does in account B. */
import { describe, expect, it } from 'vitest';
import { emptyAuthorized } from '../../../../src/delegation/authorized/desired.js';
import { planAuthorized } from '../../../../src/delegation/authorized/plan.js';
import { withGroup } from '../../../support/gen.js';
import {
  SCOPED,
  SCOPED_REF,
  desiredOf,
  group,
  key,
  keyIdOf,
  removedUser,
  scopedPolicy,
  sortSteps,
  stepsOf,
} from './fixtures.js';
import { deleteKey, detach, g, nothingStored, removeMember, step, u } from './steps.js';

const empty = emptyAuthorized(desiredOf(withGroup('publishers')));
const plan = (observed: Parameters<typeof planAuthorized>[1]) =>
  planAuthorized(empty, observed, nothingStored, {
    adopt: false,
    correctionsAreDrift: false,
    now: new Date(0),
  });

describe('planAuthorized against the empty desired state (revocation)', () => {
  it('strips and deletes every marked user and group and the tagged grant; shared writes happen once', () => {
    // Account B after a converged pass with a group, as observed when nothing is desired.
    const result = plan({
      users: new Map(),
      removedUsers: [
        removedUser('orders-publisher', {
          accessKeys: [key(keyIdOf('orders-publisher'))],
          groups: ['publishers'],
        }),
        removedUser('alice', {
          loginProfile: { passwordResetRequired: false, mfaBindRequired: true },
          mfaDevice: 'acs:ram::2222222222222222:mfa/alice',
          groups: ['publishers'],
        }),
      ],
      removedGroups: [
        group('publishers', { members: ['orders-publisher', 'alice'], policies: [SCOPED_REF] }),
      ],
      scopedPolicy: scopedPolicy({ entities: { users: [], groups: ['publishers'], roles: [] } }),
      staleGrants: [],
      untouched: [],
    });
    expect(result.blocked).toBeUndefined();
    expect(stepsOf(result.actions)).toEqual(
      sortSteps([
        deleteKey('orders-publisher', keyIdOf('orders-publisher'), 'retire'),
        step('retire', { kind: 'deleteLoginProfile', userName: 'alice' }),
        step('retire', { kind: 'unbindMfaDevice', userName: 'alice' }),
        removeMember('orders-publisher', 'publishers', 'retire'),
        removeMember('alice', 'publishers', 'retire'),
        detach(SCOPED_REF, g('publishers')),
        step('delete', { kind: 'deleteUser', userName: 'orders-publisher' }),
        step('delete', { kind: 'deleteUser', userName: 'alice' }),
        step('delete', { kind: 'deleteGroup', groupName: 'publishers' }),
        step('purge', { kind: 'deletePolicy', policyName: SCOPED }),
      ]),
    );
    expect(result.actions.every((a) => a.change.side === 'authorized' && !a.change.drift)).toBe(true);
  });

  it('a scoped policy without our tag, attached to a foreign user, is left alone', () => {
    const result = plan({
      users: new Map(),
      removedUsers: [],
      removedGroups: [],
      scopedPolicy: scopedPolicy({ managed: false, entities: { users: ['carol'], groups: [], roles: [] } }),
      staleGrants: [],
      untouched: [],
    });
    expect(result).toEqual({ actions: [] });
  });

  it('a grant tagged as ours under another name (the role was renamed) is detached everywhere and deleted', () => {
    const result = plan({
      users: new Map(),
      removedUsers: [],
      removedGroups: [],
      staleGrants: [{ policyName: 'AssumeRole-old', entities: { users: ['carol'], groups: [], roles: [] } }],
      untouched: [],
    });
    const old = { policyName: 'AssumeRole-old', policyType: 'Custom' as const };
    expect(stepsOf(result.actions)).toEqual(
      sortSteps([
        detach(old, u('carol')),
        step('purge', { kind: 'deletePolicy', policyName: 'AssumeRole-old' }),
      ]),
    );
  });
});
