/**
 * The authorized side (account B) against the emulator: crashes part-way through a pass, entities
 * without our marker, and revocation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthorizedApplyError,
  desiredAuthorized,
  revokeAuthorized,
} from '../../../src/delegation/authorized/index.js';
import { ownsByComments } from '../../../src/delegation/ownership.js';
import {
  ROLE_ARN,
  TEST_OWNERSHIP as ownership,
  aDelegation,
  withGroup,
  withProgrammaticUser,
} from '../../support/gen.js';
import { AuthorizedWorld, SCOPED, nothingStored, sorted, storeAll } from './authorized-world.js';

const world = new AuthorizedWorld();
beforeEach(() => world.start());
afterEach(() => world.stop());

describe('crashes part-way through a pass', () => {
  it('a key created but never returned (crash right after CreateAccessKey) is deleted and replaced', async () => {
    world.crashAfter = 'CreateAccessKey';
    await expect(world.reconcile(aDelegation(), nothingStored)).rejects.toThrow(/injected crash/);
    const orphan = await world.ram.listAccessKeys('orders-publisher');
    expect(orphan).toHaveLength(1);

    const retry = await world.reconcile(aDelegation(), nothingStored);
    const issued = retry.issued.find((c) => c.kind === 'AccessKey');
    expect(world.writes().filter((w) => w === 'DeleteAccessKey')).toHaveLength(1);
    expect((await world.ram.listAccessKeys('orders-publisher')).map((k) => k.accessKeyId)).toEqual([
      issued?.kind === 'AccessKey' ? issued.accessKeyId : 'missing',
    ]);
    expect(orphan[0]?.accessKeyId).not.toBe(issued?.kind === 'AccessKey' ? issued.accessKeyId : undefined);
  });

  it('a failure after credentials were issued hands them over on the error, never in its serialized form', async () => {
    world.crashAfter = 'AttachPolicyToUser';
    const failure: unknown = await world
      .reconcile(aDelegation(), nothingStored)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthorizedApplyError);
    const error = failure as AuthorizedApplyError;
    expect(error.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);
    const serialized = JSON.stringify(error) + String(error.message) + JSON.stringify(Object.entries(error));
    for (const credential of error.issued) {
      expect(serialized).not.toContain(
        credential.kind === 'AccessKey' ? credential.accessKeySecret : credential.password,
      );
    }

    // Storing what the error carried is enough: the next pass at most finishes the attachments (others
    // in flight when the crash hit may have completed) and issues nothing new.
    const next = await world.reconcile(aDelegation(), storeAll(nothingStored, error.issued));
    expect(next.issued).toEqual([]);
    expect(world.writes().filter((w) => w !== 'AttachPolicyToUser')).toEqual([]);
    for (const name of ['orders-publisher', 'alice']) {
      expect(await world.ram.listPoliciesForUser(name)).toEqual([expect.objectContaining(SCOPED)]);
    }
  });
});

describe('entities without our marker', () => {
  it('a same-named user without the marker blocks the side and is not modified; adopt takes it over', async () => {
    await world.ram.createUser({ userName: 'alice', displayName: 'Alice', comments: 'made by hand' });
    const blocked = await world.reconcile(aDelegation(), nothingStored);
    expect(blocked.synced).toBe(false);
    expect(blocked.blocked?.reason).toBe('EntityNotManaged');
    expect(blocked.blocked?.message).toContain('user/alice');
    expect(world.writes()).toEqual([]);
    expect(await world.ram.getUser('alice')).toMatchObject({ comments: 'made by hand' });

    const adopted = await world.reconcile(aDelegation(), nothingStored, { adopt: true });
    expect(adopted.synced).toBe(true);
    expect(await world.ram.getUser('alice')).toMatchObject({ comments: `made by hand ${ownership.marker}` });
  });
});

describe('revokeAuthorized against the emulator', () => {
  it('leaves no marked user or group and no tagged grant; unmanaged users are untouched', async () => {
    const spec = aDelegation(withGroup('publishers'));
    await world.reconcile(spec, nothingStored);
    // A user removed from the spec later, and an unmanaged user holding the scoped grant out of band.
    await world.ram.createUser({ userName: 'carol', displayName: 'carol', comments: '' });
    const carolKey = await world.ram.createAccessKey('carol');
    await world.ram.attachPolicyToUser(SCOPED, 'carol');

    const withCarol = aDelegation(withGroup('publishers'), withProgrammaticUser('carol'));
    const desired = desiredAuthorized(withCarol, ownership, ROLE_ARN);
    const result = await revokeAuthorized(world.ram, desired, ownership, world.records.pass());

    expect(sorted(result.outcomes.map((o) => `${o.entity}=${o.result}`))).toEqual(
      sorted([
        'user/orders-publisher=Deleted',
        'user/alice=Deleted',
        'user/carol=NotManaged',
        'group/publishers=Deleted',
        `policy/${SCOPED.policyName}=Deleted`,
      ]),
    );
    expect((await world.ram.listUsers()).map((u) => u.userName)).toEqual(['carol']);
    expect((await world.ram.listUsers()).filter((u) => ownsByComments(u.comments, ownership))).toEqual([]);
    expect((await world.ram.listGroups()).filter((g) => ownsByComments(g.comments, ownership))).toEqual([]);
    expect(await world.ram.findByTag('policy', ownership.tagKey, ownership.tagValue)).toEqual([]);
    expect(await world.ram.getPolicy(SCOPED)).toBeUndefined();
    expect((await world.ram.listAccessKeys('carol')).map((k) => k.accessKeyId)).toEqual([
      carolKey.accessKeyId,
    ]);

    // Revoking again is a no-op: everything is already gone.
    world.calls = [];
    const again = await revokeAuthorized(world.ram, desired, ownership, world.records.pass());
    expect(again.changes).toEqual([]);
    expect(world.writes()).toEqual([]);
  });
});
