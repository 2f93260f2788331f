import { describe, it } from 'vitest';
import {
  checkCase,
  type Case,
  addMember,
  attach,
  changed,
  createKey,
  createScoped,
  createUser,
  deleteKey,
  detach,
  g,
  observedUser,
  removeMember,
  step,
  systemGrant,
  tagScoped,
  u,
  publishersGroup,
} from './steps.js';
import {
  MARKER,
  SCOPED,
  SCOPED_DOCUMENT,
  SCOPED_REF,
  SYSTEM_REF,
  convergedWorld,
  desiredOf,
  group,
  key,
  removedUser,
  scopedPolicy,
} from './fixtures.js';

const cases: Case[] = [
  {
    name: 'group membership drift: a spec user missing is added, a foreign member removed',
    desired: desiredOf(publishersGroup),
    world: changed(
      (w) => {
        if (w.observed.group) w.observed.group.members = ['orders-publisher', 'mallory'];
      },
      { withGroup: true },
    ),
    expected: [removeMember('mallory', 'publishers', 'prepare'), addMember('alice')],
  },
  {
    name: 'the grant detached from a user out of band is re-attached',
    desired: desiredOf(),
    world: changed((w) => {
      observedUser(w, 'alice').policies = [];
      w.observed.scopedPolicy = scopedPolicy({
        entities: { users: ['orders-publisher'], groups: [], roles: [] },
      });
    }),
    expected: [attach(SCOPED_REF, u('alice'))],
  },
  {
    name: 'the scoped grant attached out of band to another user, group and role is detached',
    desired: desiredOf(),
    world: changed((w) => {
      w.observed.scopedPolicy = scopedPolicy({
        entities: {
          users: ['orders-publisher', 'alice', 'mallory'],
          groups: ['admins'],
          roles: ['ecs-role'],
        },
      });
    }),
    expected: [
      detach(SCOPED_REF, u('mallory')),
      detach(SCOPED_REF, g('admins')),
      detach(SCOPED_REF, { kind: 'role', name: 'ecs-role' }),
    ],
  },
  {
    name: 'with a group, the grant attached to a user directly is detached',
    desired: desiredOf(publishersGroup),
    world: changed(
      (w) => {
        observedUser(w, 'alice').policies = [SCOPED_REF];
        w.observed.scopedPolicy = scopedPolicy({
          entities: { users: ['alice'], groups: ['publishers'], roles: [] },
        });
      },
      { withGroup: true },
    ),
    expected: [detach(SCOPED_REF, u('alice'))],
  },
  {
    name: 'group added to the spec: grant moves from the users to the group without a gap',
    desired: desiredOf(publishersGroup),
    world: () => convergedWorld(),
    expected: [
      step('create', { kind: 'createGroup', groupName: 'publishers', comments: MARKER }),
      addMember('orders-publisher'),
      addMember('alice'),
      attach(SCOPED_REF, g('publishers')),
      detach(SCOPED_REF, u('orders-publisher')),
      detach(SCOPED_REF, u('alice')),
    ],
  },
  {
    name: 'group removed from the spec: grant back on the users, then the group emptied and deleted',
    desired: desiredOf(),
    world: changed(
      (w) => {
        const old = w.observed.group;
        if (!old) throw new Error('fixture has no group');
        delete w.observed.group;
        w.observed.removedGroups = [old];
      },
      { withGroup: true },
    ),
    expected: [
      attach(SCOPED_REF, u('orders-publisher')),
      attach(SCOPED_REF, u('alice')),
      removeMember('orders-publisher', 'publishers', 'retire'),
      removeMember('alice', 'publishers', 'retire'),
      detach(SCOPED_REF, g('publishers')),
      step('delete', { kind: 'deleteGroup', groupName: 'publishers' }),
    ],
  },
  {
    name: 'Scoped -> SystemPolicy: system policy attached, then the scoped one detached everywhere and deleted',
    desired: desiredOf(systemGrant),
    world: () => convergedWorld(),
    expected: [
      attach(SYSTEM_REF, u('orders-publisher')),
      attach(SYSTEM_REF, u('alice')),
      detach(SCOPED_REF, u('orders-publisher')),
      detach(SCOPED_REF, u('alice')),
      step('purge', { kind: 'deletePolicy', policyName: SCOPED }),
    ],
  },
  {
    name: 'SystemPolicy -> Scoped: scoped policy created and attached, then the system policy detached',
    desired: desiredOf(),
    world: () => convergedWorld({ system: true }),
    expected: [
      createScoped,
      attach(SCOPED_REF, u('orders-publisher')),
      attach(SCOPED_REF, u('alice')),
      detach(SYSTEM_REF, u('orders-publisher')),
      detach(SYSTEM_REF, u('alice')),
    ],
  },
  {
    name: 'grant document changed out of band: a new default version',
    desired: desiredOf(),
    world: changed((w) => {
      w.observed.scopedPolicy = scopedPolicy({
        document: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}',
        entities: { users: ['orders-publisher', 'alice'], groups: [], roles: [] },
      });
    }),
    expected: [
      step('create', { kind: 'createPolicyVersion', policyName: SCOPED, document: SCOPED_DOCUMENT }),
    ],
  },
  {
    name: 'grant document only reformatted by RAM: no new version',
    desired: desiredOf(),
    world: changed((w) => {
      w.observed.scopedPolicy = scopedPolicy({
        document: JSON.stringify(JSON.parse(SCOPED_DOCUMENT), null, 2).replace(
          '"sts:AssumeRole"',
          '["sts:AssumeRole"]',
        ),
        entities: { users: ['orders-publisher', 'alice'], groups: [], roles: [] },
      });
    }),
    expected: [],
  },
  {
    name: 'user removed from the spec: keys, login, MFA, memberships, policies first, then the user',
    desired: desiredOf(),
    world: changed((w) => {
      w.observed.removedUsers = [
        removedUser('bob', {
          accessKeys: [key('LTAI-bob')],
          loginProfile: { passwordResetRequired: true, mfaBindRequired: true },
          mfaDevice: 'acs:ram::2222222222222222:mfa/bob',
          groups: ['legacy'],
          policies: [SCOPED_REF, { policyName: 'AliyunOSSReadOnlyAccess', policyType: 'System' }],
        }),
      ];
      w.observed.scopedPolicy = scopedPolicy({
        entities: { users: ['orders-publisher', 'alice', 'bob'], groups: [], roles: [] },
      });
    }),
    expected: [
      deleteKey('bob', 'LTAI-bob', 'retire'),
      step('retire', { kind: 'deleteLoginProfile', userName: 'bob' }),
      step('retire', { kind: 'unbindMfaDevice', userName: 'bob' }),
      removeMember('bob', 'legacy', 'retire'),
      detach(SCOPED_REF, u('bob')),
      detach({ policyName: 'AliyunOSSReadOnlyAccess', policyType: 'System' }, u('bob')),
      step('delete', { kind: 'deleteUser', userName: 'bob' }),
    ],
  },
  {
    name: 'a removed user still in the spec group leaves it once, in the earliest phase',
    desired: desiredOf(publishersGroup),
    world: changed(
      (w) => {
        if (w.observed.group) w.observed.group.members.push('bob');
        w.observed.removedUsers = [removedUser('bob', { groups: ['publishers'] })];
      },
      { withGroup: true },
    ),
    expected: [
      removeMember('bob', 'publishers', 'prepare'),
      step('delete', { kind: 'deleteUser', userName: 'bob' }),
    ],
  },
  {
    name: 'a user deleted out of band is recreated with a new key and the grant',
    desired: desiredOf(),
    world: changed((w) => {
      (w.observed.users as Map<string, unknown>).delete('orders-publisher');
      w.observed.scopedPolicy = scopedPolicy({ entities: { users: ['alice'], groups: [], roles: [] } });
    }),
    expected: [
      createUser('orders-publisher'),
      createKey('orders-publisher'),
      attach(SCOPED_REF, u('orders-publisher')),
    ],
  },
  {
    name: 'adopt: an unmarked user gets the marker (kept comments) and is then managed',
    desired: desiredOf(),
    adopt: true,
    world: changed((w) => {
      const alice = observedUser(w, 'alice');
      alice.managed = false;
      alice.comments = 'created by hand';
    }),
    expected: [
      step('prepare', { kind: 'markUser', userName: 'alice', comments: `created by hand ${MARKER}` }),
    ],
  },
  {
    name: 'adopt: an unmarked group and an untagged grant policy are taken over',
    desired: desiredOf(publishersGroup),
    adopt: true,
    world: changed(
      (w) => {
        w.observed.group = group('publishers', {
          comments: '',
          managed: false,
          members: ['orders-publisher', 'alice'],
          policies: [SCOPED_REF],
        });
        w.observed.scopedPolicy = scopedPolicy({
          managed: false,
          description: 'hand made',
          entities: { users: [], groups: ['publishers'], roles: [] },
        });
      },
      { withGroup: true },
    ),
    expected: [step('prepare', { kind: 'markGroup', groupName: 'publishers', comments: MARKER }), tagScoped],
  },
  {
    name: 'an old grant policy tagged as ours under another name is detached and deleted',
    desired: desiredOf(),
    world: changed((w) => {
      w.observed.staleGrants = [
        { policyName: 'AssumeRole-old', entities: { users: ['alice'], groups: [], roles: [] } },
      ];
      observedUser(w, 'alice').policies?.push({ policyName: 'AssumeRole-old', policyType: 'Custom' });
    }),
    expected: [
      detach({ policyName: 'AssumeRole-old', policyType: 'Custom' }, u('alice')),
      step('purge', { kind: 'deletePolicy', policyName: 'AssumeRole-old' }),
    ],
  },
  {
    name: 'SystemPolicy: a same-named scoped policy that is not ours is left alone',
    desired: desiredOf(systemGrant),
    world: changed(
      (w) => {
        w.observed.scopedPolicy = scopedPolicy({
          managed: false,
          entities: { users: ['x'], groups: [], roles: [] },
        });
      },
      { system: true },
    ),
    expected: [],
  },
];

describe('planAuthorized: group, grant and removed entities', () => {
  it.each(cases)('$name', (c) => checkCase(c));
});
