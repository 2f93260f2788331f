/**
 * The ready-made RAM policies for the operator's own identities (deploy/alicloud/) are sufficient: the
 * engine reconciles and revokes the seed scenario acting as RAM users that hold only those policies,
 * judged by the emulator's policy engine. (Root keys would hide a missing permission.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileDelegation, revokeDelegation } from '../../../src/delegation/engine.js';
import { startTestCloud, type TestAccount, type TestCloud } from '../../support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../../support/delegation.js';
import {
  aDelegation,
  withCustomPolicy,
  withGroup,
  withKeyRotation,
  withProgrammaticUser,
  withRole,
  withUsers,
} from '../../support/gen.js';

const policyFile = (side: string) =>
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'deploy', 'alicloud', `operator-${side}-policy.json`),
    'utf8',
  );

let cloud: TestCloud;

/** A RAM user holding only the operator policy for `side`, and its AccessKey. */
async function operatorIdentity(
  root: TestAccount,
  side: 'owner' | 'authorized',
  userName = 'ram-delegation-operator',
): Promise<TestAccount> {
  const ram = cloud.ports(root).ram;
  const policyName = `${userName}-${side}`;
  await ram.createUser({ userName, displayName: 'operator', comments: '' });
  await ram.createPolicy({ policyName, document: policyFile(side), description: '' });
  await ram.attachPolicyToUser({ policyName, policyType: 'Custom' }, userName);
  const { accessKeyId, accessKeySecret } = await ram.createAccessKey(userName);
  return { accountId: root.accountId, accessKeyId, accessKeySecret };
}

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud.stop();
});

describe('the operator RAM policies in deploy/alicloud/', () => {
  it('are enough to reconcile, repair and revoke the seed scenario', async () => {
    const owner = await operatorIdentity(cloud.owner, 'owner');
    const authorized = await operatorIdentity(cloud.authorized, 'authorized');
    const restricted: TestCloud = { ...cloud, owner, authorized };
    const spec = aDelegation(withGroup('orders-publishers'));
    const store = new CredentialStore();
    const options = testEngineOptions();

    const first = await reconcileDelegation(delegationInput(restricted, spec, store), options);
    store.store(first.authorized?.issued ?? []);
    expect(first.owner.blocked).toBeUndefined();
    expect(first.authorized?.blocked).toBeUndefined();
    expect(first.authorized?.synced).toBe(true);

    await cloud
      .ports(cloud.owner)
      .ram.attachPolicyToRole(
        { policyName: 'AliyunEventBridgeFullAccess', policyType: 'System' },
        'orders-bus-publisher',
      );
    const repaired = await reconcileDelegation(
      delegationInput(restricted, spec, store, { correctionsAreDrift: true }),
      options,
    );
    expect(repaired.owner.changes.map((c) => c.description).join()).toMatch(/AliyunEventBridgeFullAccess/);

    const revoked = await revokeDelegation(delegationInput(restricted, spec, store), options);
    expect(revoked.authorizedError).toBeUndefined();
    const ownerState = await cloud.admin('GET', `/_emulator/accounts/${owner.accountId}/state`);
    expect(ownerState.roles).toEqual([]);
    const authorizedState = await cloud.admin('GET', `/_emulator/accounts/${authorized.accountId}/state`);
    expect(authorizedState.users.map((u: { userName: string }) => u.userName)).toEqual([
      'ram-delegation-operator',
    ]);
    expect(authorizedState.groups).toEqual([]);
  });

  it('are enough to rotate AccessKeys (create, deactivate, delete) and to review their last use', async () => {
    const restricted: TestCloud = {
      ...cloud,
      owner: await operatorIdentity(cloud.owner, 'owner', 'ram-delegation-rotator'),
      authorized: await operatorIdentity(cloud.authorized, 'authorized', 'ram-delegation-rotator'),
    };
    const spec = aDelegation(
      withRole('rotating'),
      withUsers(),
      withProgrammaticUser('rotor'),
      withKeyRotation('rotor', '1h', '10s'),
      withCustomPolicy('rotating-publish'),
    );
    const store = new CredentialStore();
    let seconds = 0;
    const options = testEngineOptions({ clock: () => new Date(Date.now() + seconds * 1000) });
    const pass = async (rotationRequest?: string) => {
      const outcome = await reconcileDelegation(
        delegationInput(restricted, spec, store, rotationRequest ? { rotationRequest } : {}),
        options,
      );
      expect(outcome.authorized?.blocked).toBeUndefined();
      store.store(outcome.authorized?.issued ?? []);
      return [...outcome.owner.changes, ...(outcome.authorized?.changes ?? [])].map((c) => c.verb);
    };
    await pass();
    const first = store.accessKeys.get('rotor')!.accessKeyId;
    expect(await pass('r1')).toEqual(['Rotated']);
    seconds = 15;
    expect(await pass('r1')).toEqual(['Deactivated']);
    seconds = 25;
    expect(await pass('r1')).toEqual(['Deleted']);
    const ram = cloud.ports(restricted.authorized).ram;
    expect((await ram.listAccessKeys('rotor')).map((k) => k.accessKeyId)).not.toContain(first);
    await expect(
      ram.getAccessKeyLastUsed('rotor', store.accessKeys.get('rotor')!.accessKeyId),
    ).resolves.not.toThrow();
  });

  it('are refused for a call they do not grant (the test can fail)', async () => {
    const ram = cloud.ports(cloud.owner).ram;
    const key = await ram.createAccessKey('ram-delegation-operator');
    const restricted = cloud.ports({ accountId: cloud.owner.accountId, ...key }).ram;
    await expect(
      restricted.createUser({ userName: 'intruder', displayName: 'x', comments: '' }),
    ).rejects.toMatchObject({ kind: 'Forbidden' });
  });
});
