/**
 * The authorized side (account B) against the emulator: reconcile from scratch, a second pass with zero
 * writes, removed users and groups, drift repaired, grant switches.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownsByComments } from '../../../src/delegation/ownership.js';
import {
  AUTHORIZED_ACCOUNT as B,
  ROLE_ARN,
  TEST_OWNERSHIP as ownership,
  aDelegation,
  withGrant,
  withGroup,
  withProgrammaticUser,
  withUsers,
} from '../../support/gen.js';
import { AuthorizedWorld, SCOPED, SYSTEM, nothingStored, sorted, storeAll } from './authorized-world.js';

const world = new AuthorizedWorld();
beforeEach(() => world.start());
afterEach(() => world.stop());

describe('reconcileAuthorized against the emulator', () => {
  it('from scratch: users, credentials, group and scoped grant; the second pass writes nothing', async () => {
    const spec = aDelegation(withGroup('publishers'));
    const first = await world.reconcile(spec, nothingStored);
    expect(first.synced).toBe(true);
    expect(first.blocked).toBeUndefined();
    const issuedKey = first.issued.find((c) => c.kind === 'AccessKey');
    expect(first.users).toEqual([
      {
        name: 'orders-publisher',
        principalName: `orders-publisher@${B}.onaliyun.com`,
        credentialsSecretName: 'orders-publisher-ak',
        // The key the Secret will hold, with RAM's creation date.
        accessKey: {
          accessKeyId: issuedKey?.kind === 'AccessKey' ? issuedKey.accessKeyId : '',
          createDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        },
      },
      { name: 'alice', principalName: `alice@${B}.onaliyun.com`, credentialsSecretName: 'alice-login' },
    ]);
    expect(first.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);

    const users = await world.ram.listUsers();
    expect(sorted(users.map((u) => u.userName))).toEqual(['alice', 'orders-publisher']);
    for (const user of users) expect(ownsByComments(user.comments, ownership)).toBe(true);
    const keys = await world.ram.listAccessKeys('orders-publisher');
    expect(keys.map((k) => k.accessKeyId)).toEqual([
      issuedKey?.kind === 'AccessKey' ? issuedKey.accessKeyId : '',
    ]);
    expect(await world.ram.getLoginProfile('orders-publisher')).toBeUndefined();
    expect(await world.ram.listAccessKeys('alice')).toEqual([]);
    expect(await world.ram.getLoginProfile('alice')).toMatchObject({
      passwordResetRequired: true,
      mfaBindRequired: true,
    });
    expect(sorted(await world.ram.listUsersForGroup('publishers'))).toEqual(['alice', 'orders-publisher']);
    expect(await world.ram.listPoliciesForGroup('publishers')).toEqual([expect.objectContaining(SCOPED)]);
    expect(await world.ram.listPoliciesForUser('alice')).toEqual([]);
    expect(await world.ram.listTags('policy', SCOPED.policyName)).toEqual({
      [ownership.tagKey]: ownership.tagValue,
    });
    const policy = await world.ram.getPolicy(SCOPED);
    expect(JSON.parse(policy?.document ?? '{}')).toEqual({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }],
    });

    // The issued AccessKey really signs requests as that user.
    if (issuedKey?.kind !== 'AccessKey') throw new Error('no AccessKey issued');
    const asUser = world.cloud.ports({ accountId: B, ...issuedKey });
    expect((await asUser.sts.getCallerIdentity()).arn).toContain('orders-publisher');

    const stored = storeAll(nothingStored, first.issued);
    const second = await world.reconcile(spec, stored);
    expect(second).toMatchObject({ synced: true, changes: [], issued: [] });
    expect(world.writes()).toEqual([]);
    // A pass of a new generation reads everything by name (no listing of the account): the grant with
    // its tags and entities, the group with its members and policies, and four reads per user (the
    // alias is remembered by the port).
    const perUser = ['GetUser', 'ListAccessKeys', 'GetLoginProfile', 'ListPoliciesForUser'];
    expect(sorted(world.calls.map((c) => c.action))).toEqual(
      sorted([
        'GetPolicy',
        'ListTagResources',
        'ListEntitiesForPolicy',
        'GetGroup',
        'ListUsersForGroup',
        'ListPoliciesForGroup',
        ...perUser,
        ...perUser,
      ]),
    );

    // A resync of the same generation reads less: the scoped grant's attachments come from its entity
    // list, and the record proves the grant is ours without its tags.
    const resync = await world.reconcile(spec, stored, { drift: true });
    expect(resync).toMatchObject({ synced: true, changes: [], issued: [] });
    const light = ['GetUser', 'ListAccessKeys', 'GetLoginProfile'];
    expect(sorted(world.calls.map((c) => c.action))).toEqual(
      sorted(['GetPolicy', 'ListEntitiesForPolicy', 'GetGroup', 'ListUsersForGroup', ...light, ...light]),
    );
  });

  it('users and the group removed from the spec are deleted with everything hanging on them', async () => {
    const first = await world.reconcile(aDelegation(withGroup('publishers')), nothingStored);
    const stored = storeAll(nothingStored, first.issued);
    const smaller = aDelegation(withUsers(), withProgrammaticUser('orders-publisher'));
    const result = await world.reconcile(smaller, stored);
    expect(result.synced).toBe(true);
    expect(result.changes.map((c) => `${c.verb} ${c.entity}`)).toEqual(
      expect.arrayContaining([
        'Deleted loginprofile/alice',
        'Deleted user/alice',
        'Deleted group/publishers',
      ]),
    );
    expect((await world.ram.listUsers()).map((u) => u.userName)).toEqual(['orders-publisher']);
    expect(await world.ram.listGroups()).toEqual([]);
    expect(await world.ram.listPoliciesForUser('orders-publisher')).toEqual([
      expect.objectContaining(SCOPED),
    ]);
    await world.reconcile(smaller, stored);
    expect(world.writes()).toEqual([]);
  });

  it('drift is repaired: grant detached from a user, an extra AccessKey, a user deleted out of band', async () => {
    const spec = aDelegation(withProgrammaticUser('bob'));
    const first = await world.reconcile(spec, nothingStored);
    let stored = storeAll(nothingStored, first.issued);

    await world.ram.detachPolicyFromUser(SCOPED, 'alice');
    const rogue = await world.ram.createAccessKey('orders-publisher');
    for (const k of await world.ram.listAccessKeys('bob'))
      await world.ram.deleteAccessKey('bob', k.accessKeyId);
    await world.ram.detachPolicyFromUser(SCOPED, 'bob');
    await world.ram.deleteUser('bob');

    const repair = await world.reconcile(spec, stored, { drift: true });
    expect(repair.synced).toBe(true);
    expect(sorted(repair.changes.map((c) => `${c.verb} ${c.entity}`))).toEqual(
      sorted([
        `Attached attachment/${SCOPED.policyName}->user/alice`,
        `Deleted accesskey/orders-publisher/${rogue.accessKeyId}`,
        'Created user/bob',
        'Created accesskey/bob',
        `Attached attachment/${SCOPED.policyName}->user/bob`,
      ]),
    );
    expect(repair.changes.every((c) => c.drift && c.side === 'authorized')).toBe(true);
    expect(repair.issued.map((c) => `${c.userName}:${c.kind}`)).toEqual(['bob:AccessKey']);
    expect((await world.ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      stored.accessKeyIds.get('orders-publisher'),
    ]);

    stored = storeAll(stored, repair.issued);
    await world.reconcile(spec, stored, { drift: true });
    expect(world.writes()).toEqual([]);
  });

  it('an AccessKey whose secret was never stored is replaced, never a third key', async () => {
    const spec = aDelegation();
    await world.reconcile(spec, nothingStored);
    await world.ram.createAccessKey('orders-publisher'); // now two keys, neither stored
    const again = await world.reconcile(spec, {
      accessKeyIds: new Map(),
      passwordsStored: new Set(['alice']),
    });
    expect(world.writes().filter((w) => w === 'CreateAccessKey')).toHaveLength(1);
    expect(world.writes().filter((w) => w === 'DeleteAccessKey')).toHaveLength(2);
    const issued = again.issued.find((c) => c.kind === 'AccessKey');
    expect((await world.ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      issued?.kind === 'AccessKey' ? issued.accessKeyId : 'missing',
    ]);
  });

  it('Scoped -> SystemPolicy: the system policy replaces the scoped one, which is deleted', async () => {
    const first = await world.reconcile(aDelegation(), nothingStored);
    const stored = storeAll(nothingStored, first.issued);
    const switched = aDelegation(withGrant('SystemPolicy'));
    const result = await world.reconcile(switched, stored);
    expect(result.synced).toBe(true);
    expect(await world.ram.getPolicy(SCOPED)).toBeUndefined();
    expect(await world.ram.listPoliciesForUser('alice')).toEqual([expect.objectContaining(SYSTEM)]);
    await world.reconcile(switched, stored);
    expect(world.writes()).toEqual([]);
  });
});
