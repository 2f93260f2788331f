import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RamPort } from '../../../src/alicloud/ports.js';
import { allowDocument, caught, EmulatorFixture } from './fixture.js';

const B = '2222222222222222';
const MARKER = 'ram-delegation.dev/owner=c1/platform/orders';

let fixture: EmulatorFixture;
let ram: RamPort;

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
  // A small page size makes every paged list call cross several pages.
  ram = (await fixture.rootPorts(B, { pageSize: 2 })).ram;
});

afterAll(async () => {
  await fixture?.stop();
});

describe('users', () => {
  it('creates, reads, updates, lists (all pages) and deletes users', async () => {
    expect(await ram.getUser('orders-publisher')).toBeUndefined();
    const created = await ram.createUser({
      userName: 'orders-publisher',
      displayName: 'Orders publisher',
      comments: MARKER,
    });
    expect(created).toMatchObject({
      userName: 'orders-publisher',
      displayName: 'Orders publisher',
      comments: MARKER,
    });
    expect(created.userId).not.toBe('');

    await ram.updateUser('orders-publisher', { comments: `${MARKER} v2`, displayName: 'Publisher' });
    expect(await ram.getUser('orders-publisher')).toEqual({
      ...created,
      comments: `${MARKER} v2`,
      displayName: 'Publisher',
    });

    for (let i = 0; i < 4; i++)
      await ram.createUser({ userName: `extra-${i}`, displayName: `extra-${i}`, comments: '' });
    const names = (await ram.listUsers()).map((u) => u.userName).sort();
    expect(names).toEqual(['extra-0', 'extra-1', 'extra-2', 'extra-3', 'orders-publisher']);

    expect(
      await caught(ram.createUser({ userName: 'extra-0', displayName: 'x', comments: '' })),
    ).toMatchObject({
      kind: 'AlreadyExists',
      code: 'EntityAlreadyExists.User',
    });
    for (let i = 0; i < 4; i++) await ram.deleteUser(`extra-${i}`);
    await ram.deleteUser('extra-0');
    expect((await ram.listUsers()).map((u) => u.userName)).toEqual(['orders-publisher']);
  });

  it('issues, lists and deletes AccessKeys', async () => {
    const key = await ram.createAccessKey('orders-publisher');
    expect(key.accessKeyId).toMatch(/\S{8,}/);
    expect(key.accessKeySecret).toMatch(/\S{16,}/);
    const keys = await ram.listAccessKeys('orders-publisher');
    expect(keys).toEqual([
      { accessKeyId: key.accessKeyId, status: 'Active', createDate: expect.any(String) },
    ]);
    // The listing never carries the secret.
    expect(JSON.stringify(keys)).not.toContain(key.accessKeySecret);

    await ram.deleteAccessKey('orders-publisher', key.accessKeyId);
    await ram.deleteAccessKey('orders-publisher', key.accessKeyId);
    expect(await ram.listAccessKeys('orders-publisher')).toEqual([]);
    expect(await caught(ram.createAccessKey('nobody'))).toMatchObject({
      kind: 'NotFound',
      code: 'EntityNotExist.User',
    });
  });

  it('manages a login profile', async () => {
    await ram.createUser({ userName: 'alice', displayName: 'Alice', comments: MARKER });
    expect(await ram.getLoginProfile('alice')).toBeUndefined();
    await ram.createLoginProfile('alice', {
      password: 'Initial-Passw0rd!x',
      passwordResetRequired: true,
      mfaBindRequired: true,
    });
    expect(await ram.getLoginProfile('alice')).toEqual({
      passwordResetRequired: true,
      mfaBindRequired: true,
    });
    await ram.updateLoginProfile('alice', { mfaBindRequired: false });
    expect(await ram.getLoginProfile('alice')).toEqual({
      passwordResetRequired: true,
      mfaBindRequired: false,
    });
    await ram.updateLoginProfile('alice', { password: 'Another-Passw0rd!y', passwordResetRequired: false });
    expect(await ram.getLoginProfile('alice')).toEqual({
      passwordResetRequired: false,
      mfaBindRequired: false,
    });
    expect(
      await caught(
        ram.createLoginProfile('alice', {
          password: 'Third-Passw0rd!z',
          passwordResetRequired: true,
          mfaBindRequired: true,
        }),
      ),
    ).toMatchObject({
      kind: 'AlreadyExists',
    });
    await ram.deleteLoginProfile('alice');
    await ram.deleteLoginProfile('alice');
    expect(await ram.getLoginProfile('alice')).toBeUndefined();
  });

  it('has no MFA device to report or unbind', async () => {
    expect(await ram.getUserMfaDevice('alice')).toBeUndefined();
    await ram.unbindMfaDevice('alice');
  });

  it('attaches and detaches user policies idempotently', async () => {
    const scoped = { policyName: 'assume-orders-role', policyType: 'Custom' as const };
    await ram.createPolicy({
      policyName: scoped.policyName,
      document: allowDocument('sts:AssumeRole', 'acs:ram::1111111111111111:role/orders'),
      description: '',
    });
    await ram.attachPolicyToUser(scoped, 'orders-publisher');
    await ram.attachPolicyToUser(scoped, 'orders-publisher');
    await ram.attachPolicyToUser(
      { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
      'orders-publisher',
    );
    expect(
      new Set(
        (await ram.listPoliciesForUser('orders-publisher')).map((p) => `${p.policyType}:${p.policyName}`),
      ),
    ).toEqual(new Set(['Custom:assume-orders-role', 'System:AliyunSTSAssumeRoleAccess']));
    expect((await ram.listEntitiesForPolicy(scoped)).users).toEqual(['orders-publisher']);
    expect(await caught(ram.deleteUser('orders-publisher'))).toMatchObject({ kind: 'Conflict' });
    await ram.detachPolicyFromUser(scoped, 'orders-publisher');
    await ram.detachPolicyFromUser(scoped, 'orders-publisher');
    await ram.detachPolicyFromUser(
      { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
      'orders-publisher',
    );
    expect(await ram.listPoliciesForUser('orders-publisher')).toEqual([]);
  });
});

describe('groups', () => {
  it('creates, reads, updates, lists (all pages) and deletes groups', async () => {
    expect(await ram.getGroup('orders-publishers')).toBeUndefined();
    await ram.createGroup({ groupName: 'orders-publishers', comments: MARKER });
    expect(await ram.getGroup('orders-publishers')).toEqual({
      groupName: 'orders-publishers',
      comments: MARKER,
    });
    await ram.updateGroup('orders-publishers', { comments: 'changed' });
    expect(await ram.getGroup('orders-publishers')).toEqual({
      groupName: 'orders-publishers',
      comments: 'changed',
    });
    for (let i = 0; i < 3; i++) await ram.createGroup({ groupName: `g-${i}`, comments: '' });
    expect((await ram.listGroups()).map((g) => g.groupName).sort()).toEqual([
      'g-0',
      'g-1',
      'g-2',
      'orders-publishers',
    ]);
    for (let i = 0; i < 3; i++) await ram.deleteGroup(`g-${i}`);
    await ram.deleteGroup('g-0');
    expect((await ram.listGroups()).map((g) => g.groupName)).toEqual(['orders-publishers']);
  });

  it('manages memberships across pages, idempotently', async () => {
    const members = ['m-0', 'm-1', 'm-2', 'orders-publisher', 'alice'];
    for (const name of members.slice(0, 3))
      await ram.createUser({ userName: name, displayName: name, comments: '' });
    for (const name of members) {
      await ram.addUserToGroup(name, 'orders-publishers');
    }
    await ram.addUserToGroup('alice', 'orders-publishers');
    expect((await ram.listUsersForGroup('orders-publishers')).sort()).toEqual([...members].sort());
    expect(await ram.listGroupsForUser('alice')).toEqual(['orders-publishers']);

    expect(await caught(ram.deleteGroup('orders-publishers'))).toMatchObject({ kind: 'Conflict' });
    for (const name of members) await ram.removeUserFromGroup(name, 'orders-publishers');
    await ram.removeUserFromGroup('alice', 'orders-publishers');
    await ram.removeUserFromGroup('alice', 'no-such-group');
    expect(await ram.listUsersForGroup('orders-publishers')).toEqual([]);
    expect(await ram.listGroupsForUser('alice')).toEqual([]);
    expect(await caught(ram.listUsersForGroup('no-such-group'))).toMatchObject({
      kind: 'NotFound',
      code: 'EntityNotExist.Group',
    });
  });

  it('attaches and detaches group policies idempotently', async () => {
    const grant = { policyName: 'assume-orders-role', policyType: 'Custom' as const };
    await ram.attachPolicyToGroup(grant, 'orders-publishers');
    await ram.attachPolicyToGroup(grant, 'orders-publishers');
    expect(await ram.listPoliciesForGroup('orders-publishers')).toEqual([grant]);
    expect((await ram.listEntitiesForPolicy(grant)).groups).toEqual(['orders-publishers']);
    await ram.detachPolicyFromGroup(grant, 'orders-publishers');
    await ram.detachPolicyFromGroup(grant, 'orders-publishers');
    expect(await ram.listPoliciesForGroup('orders-publishers')).toEqual([]);
    await ram.deleteGroup('orders-publishers');
    expect(await ram.getGroup('orders-publishers')).toBeUndefined();
  });
});
