import { describe, expect, it } from 'vitest';
import type { AccessKeyInfo } from '../../../../src/alicloud/ports.js';
import { PHASES } from '../../../../src/delegation/action.js';
import { AUTHORIZED_ACCOUNT as B, withGroup as withGroupNamed } from '../../../support/gen.js';
import { planAuthorized } from '../../../../src/delegation/authorized/plan.js';
import type { ObservedAuthorized } from '../../../../src/delegation/authorized/observe.js';
import {
  NOW,
  SCOPED,
  convergedWorld,
  desiredOf,
  group,
  key,
  keyIdOf,
  scopedPolicy,
  user,
} from './fixtures.js';

const plan = (observed: ObservedAuthorized, adopt = false, correctionsAreDrift = false, withGroup = false) =>
  planAuthorized(
    desiredOf(...(withGroup ? [withGroupNamed('publishers')] : [])),
    observed,
    convergedWorld().stored,
    { adopt, correctionsAreDrift, now: NOW },
  );

describe('planAuthorized: entities without our marker', () => {
  const unmarked = {
    user: (o: ObservedAuthorized) => {
      const users = o.users as Map<string, ReturnType<typeof user>>;
      users.set('alice', user('alice', { comments: 'hand made', managed: false }));
    },
    group: (o: ObservedAuthorized) => {
      o.group = group('publishers', { comments: '', managed: false });
    },
    policy: (o: ObservedAuthorized) => {
      o.scopedPolicy = scopedPolicy({ managed: false, description: 'someone else' });
    },
  };

  it.each([
    ['user', ['user/alice']],
    ['group', ['group/publishers']],
    ['policy', [`policy/${SCOPED}`]],
  ] as const)('an unmarked %s blocks the side with EntityNotManaged and no actions', (kind, entities) => {
    const { observed } = convergedWorld({ withGroup: kind === 'group' });
    unmarked[kind](observed);
    const result = plan(observed, false, false, kind === 'group');
    expect(result.actions).toEqual([]);
    expect(result.blocked?.reason).toBe('EntityNotManaged');
    for (const entity of entities) expect(result.blocked?.message).toContain(entity);
    expect(result.blocked?.message).toContain(B);
    expect(result.blocked?.message).toContain('ram-delegation.dev/adopt');
  });

  it('names every unmarked entity at once', () => {
    const { observed } = convergedWorld({ withGroup: true });
    unmarked.user(observed);
    unmarked.group(observed);
    unmarked.policy(observed);
    const result = plan(observed, false, false, true);
    expect(result.blocked?.message).toMatch(/user\/alice, group\/publishers, policy\/AssumeRole-/);
  });

  it('with adopt the same world is planned, not blocked', () => {
    const { observed } = convergedWorld({ withGroup: true });
    unmarked.user(observed);
    unmarked.group(observed);
    unmarked.policy(observed);
    const result = plan(observed, true, false, true);
    expect(result.blocked).toBeUndefined();
    expect(result.actions.map((a) => a.op.kind)).toEqual(
      expect.arrayContaining(['markUser', 'markGroup', 'tagPolicy']),
    );
  });
});

describe('planAuthorized: changes', () => {
  it.each([true, false])(
    'every change is on the authorized side with drift = correctionsAreDrift (%s)',
    (drift) => {
      const empty: ObservedAuthorized = {
        users: new Map(),
        removedUsers: [],
        removedGroups: [],
        staleGrants: [],
        untouched: [],
      };
      const result = plan(empty, false, drift, true);
      expect(result.actions.length).toBeGreaterThan(0);
      for (const action of result.actions) {
        expect(action.change.side).toBe('authorized');
        expect(action.change.drift).toBe(drift);
      }
    },
  );

  it('describes changes with the documented entity names', () => {
    const empty: ObservedAuthorized = {
      users: new Map(),
      removedUsers: [],
      removedGroups: [],
      staleGrants: [],
      untouched: [],
    };
    const changes = plan(empty, false, false, true).actions.map((a) => `${a.change.verb} ${a.change.entity}`);
    expect(changes.sort()).toEqual(
      [
        'Created user/orders-publisher',
        'Created user/alice',
        'Created group/publishers',
        `Created policy/${SCOPED}`,
        'Created accesskey/orders-publisher',
        'Created loginprofile/alice',
        'Attached membership/orders-publisher->group/publishers',
        'Attached membership/alice->group/publishers',
        `Attached attachment/${SCOPED}->group/publishers`,
      ].sort(),
    );
  });
});

describe('planAuthorized: a Programmatic user never reaches a third AccessKey', () => {
  const id = keyIdOf('orders-publisher');
  /** A key created after the stored one and never stored: a crash before the Secret was written. */
  const unstored = (keyId: string) => ({ ...key(keyId), createDate: '2026-11-23T09:30:00Z' });
  const variants: [string, AccessKeyInfo[]][] = [
    ['none', []],
    ['stored', [key(id)]],
    ['stored inactive', [key(id, 'Inactive')]],
    ['unstored', [unstored('LTAI-x')]],
    ['stored + unstored', [key(id), unstored('LTAI-x')]],
    ['unstored + stored', [unstored('LTAI-x'), key(id)]],
    ['two unstored', [unstored('LTAI-x'), unstored('LTAI-y')]],
    ['stored inactive + unstored', [key(id, 'Inactive'), unstored('LTAI-x')]],
  ];

  it.each(variants)(
    '%s: deletes run before the create and exactly one active stored-or-new key remains',
    (_, keys) => {
      const { observed } = convergedWorld();
      const users = observed.users as Map<string, ReturnType<typeof user>>;
      users.set(
        'orders-publisher',
        user('orders-publisher', {
          accessKeys: keys,
          policies: [{ policyName: SCOPED, policyType: 'Custom' }],
        }),
      );
      const actions = plan(observed).actions.filter(
        (a) => 'userName' in a.op && a.op.userName === 'orders-publisher',
      );
      let count = keys.length;
      let max = count;
      for (const phase of PHASES) {
        const inPhase = actions.filter((a) => a.phase === phase);
        // Within a phase order is not guaranteed: creates may run before deletes.
        max = Math.max(max, count + inPhase.filter((a) => a.op.kind === 'createAccessKey').length);
        for (const a of inPhase)
          count += a.op.kind === 'createAccessKey' ? 1 : a.op.kind === 'deleteAccessKey' ? -1 : 0;
      }
      expect(max).toBeLessThanOrEqual(2);
      expect(count).toBe(1);
      expect(actions.filter((a) => a.op.kind === 'createAccessKey').length).toBeLessThanOrEqual(1);
      const keepsStored = keys.some((k) => k.accessKeyId === id && k.status === 'Active');
      expect(actions.some((a) => a.op.kind === 'deleteAccessKey' && a.op.accessKeyId === id)).toBe(
        !keepsStored && keys.some((k) => k.accessKeyId === id),
      );
    },
  );
});
