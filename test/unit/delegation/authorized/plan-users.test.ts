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
  emptyWorld,
  g,
  login,
  observedUser,
  step,
  systemGrant,
  u,
  publishersGroup,
} from './steps.js';
import { withConsoleUser, withProgrammaticUser, withUsers } from '../../../support/gen.js';
import { MARKER, SCOPED_REF, SYSTEM_REF, convergedWorld, desiredOf, key, keyIdOf } from './fixtures.js';

const cases: Case[] = [
  {
    name: 'from scratch: users, credentials, scoped grant on each user',
    desired: desiredOf(),
    world: emptyWorld,
    expected: [
      createUser('orders-publisher'),
      createUser('alice'),
      createScoped,
      createKey('orders-publisher'),
      login('alice', true),
      attach(SCOPED_REF, u('orders-publisher')),
      attach(SCOPED_REF, u('alice')),
    ],
  },
  {
    name: 'from scratch with a group: the grant goes to the group only',
    desired: desiredOf(publishersGroup),
    world: emptyWorld,
    expected: [
      createUser('orders-publisher'),
      createUser('alice'),
      step('create', { kind: 'createGroup', groupName: 'publishers', comments: MARKER }),
      createScoped,
      createKey('orders-publisher'),
      login('alice', true),
      addMember('orders-publisher'),
      addMember('alice'),
      attach(SCOPED_REF, g('publishers')),
    ],
  },
  {
    name: 'from scratch with SystemPolicy: no custom policy',
    desired: desiredOf(systemGrant),
    world: emptyWorld,
    expected: [
      createUser('orders-publisher'),
      createUser('alice'),
      createKey('orders-publisher'),
      login('alice', true),
      attach(SYSTEM_REF, u('orders-publisher')),
      attach(SYSTEM_REF, u('alice')),
    ],
  },
  { name: 'converged: no-op', desired: desiredOf(), world: () => convergedWorld(), expected: [] },
  {
    name: 'converged with group: no-op',
    desired: desiredOf(publishersGroup),
    world: () => convergedWorld({ withGroup: true }),
    expected: [],
  },
  {
    name: 'converged with SystemPolicy: no-op',
    desired: desiredOf(systemGrant),
    world: () => convergedWorld({ system: true }),
    expected: [],
  },
  {
    name: 'a key whose id was never stored (crash before the Secret) is deleted first, then one new key',
    desired: desiredOf(),
    world: changed((w) => (w.stored = { ...w.stored, accessKeyIds: new Map() })),
    expected: [deleteKey('orders-publisher', keyIdOf('orders-publisher')), createKey('orders-publisher')],
  },
  {
    name: 'two unstored keys (RAM limit): both deleted before the single new key',
    desired: desiredOf(),
    world: changed((w) => {
      observedUser(w, 'orders-publisher').accessKeys = [key('LTAI-one'), key('LTAI-two')];
    }),
    expected: [
      deleteKey('orders-publisher', 'LTAI-one'),
      deleteKey('orders-publisher', 'LTAI-two'),
      createKey('orders-publisher'),
    ],
  },
  {
    name: 'an extra AccessKey created out of band is deleted; the stored one stays',
    desired: desiredOf(),
    world: changed((w) =>
      observedUser(w, 'orders-publisher').accessKeys.push({
        ...key('LTAI-rogue'),
        createDate: '2026-11-23T09:30:00Z',
      }),
    ),
    expected: [deleteKey('orders-publisher', 'LTAI-rogue')],
  },
  {
    name: 'the stored key was disabled out of band: replaced',
    desired: desiredOf(),
    world: changed((w) => {
      observedUser(w, 'orders-publisher').accessKeys = [key(keyIdOf('orders-publisher'), 'Inactive')];
    }),
    expected: [deleteKey('orders-publisher', keyIdOf('orders-publisher')), createKey('orders-publisher')],
  },
  {
    name: 'the stored key was deleted out of band: a new one',
    desired: desiredOf(),
    world: changed((w) => (observedUser(w, 'orders-publisher').accessKeys = [])),
    expected: [createKey('orders-publisher')],
  },
  {
    name: 'a Programmatic user has no login profile',
    desired: desiredOf(),
    world: changed((w) => {
      observedUser(w, 'orders-publisher').loginProfile = {
        passwordResetRequired: false,
        mfaBindRequired: false,
      };
    }),
    expected: [step('prepare', { kind: 'deleteLoginProfile', userName: 'orders-publisher' })],
  },
  {
    name: 'Console password never stored: reset so the caller can store it',
    desired: desiredOf(),
    world: changed((w) => (w.stored = { ...w.stored, passwordsStored: new Set() })),
    expected: [
      step('provision', {
        kind: 'resetPassword',
        userName: 'alice',
        principalName: 'alice@2222222222222222.onaliyun.com',
        mfaBindRequired: true,
      }),
    ],
  },
  {
    name: 'Console login profile deleted out of band: recreated',
    desired: desiredOf(),
    world: changed((w) => delete observedUser(w, 'alice').loginProfile),
    expected: [login('alice', true)],
  },
  {
    name: 'MFABindRequired turned off out of band: put back (PasswordResetRequired cleared by the user is fine)',
    desired: desiredOf(),
    world: changed((w) => {
      observedUser(w, 'alice').loginProfile = { passwordResetRequired: false, mfaBindRequired: false };
    }),
    expected: [step('provision', { kind: 'updateLoginProfile', userName: 'alice', mfaBindRequired: true })],
  },
  {
    name: 'mfaRequired: false in the spec clears MFABindRequired',
    desired: desiredOf(
      withUsers(),
      withProgrammaticUser('orders-publisher'),
      withConsoleUser('alice', { mfaRequired: false }),
    ),
    world: () => convergedWorld(),
    expected: [step('provision', { kind: 'updateLoginProfile', userName: 'alice', mfaBindRequired: false })],
  },
  {
    name: 'a Console user has no AccessKeys',
    desired: desiredOf(),
    world: changed((w) => observedUser(w, 'alice').accessKeys.push(key('LTAI-alice'))),
    expected: [deleteKey('alice', 'LTAI-alice')],
  },
  {
    name: 'mode switch Programmatic -> Console: key deleted, login profile created',
    desired: desiredOf(
      withUsers(),
      withConsoleUser('orders-publisher', { credentialsSecretName: 'orders-publisher-ak' }),
      withConsoleUser('alice'),
    ),
    world: () => convergedWorld(),
    expected: [deleteKey('orders-publisher', keyIdOf('orders-publisher')), login('orders-publisher', true)],
  },
  {
    name: 'mode switch Console -> Programmatic: login profile deleted, key created',
    desired: desiredOf(
      withUsers(),
      withProgrammaticUser('orders-publisher'),
      withProgrammaticUser('alice', 'alice-login'),
    ),
    world: () => convergedWorld(),
    expected: [step('prepare', { kind: 'deleteLoginProfile', userName: 'alice' }), createKey('alice')],
  },
];

describe('planAuthorized: users and their credentials', () => {
  it.each(cases)('$name', (c) => checkCase(c));
});
