/**
 * The engine against an emulator that lags like real RAM (issue #12): reads of an account show its
 * previous state for a while after each write, the tag index lags more, permission changes take effect
 * later, and role ARNs come back lower-cased. Every wait the lag explains is retryable, the engine never
 * mistakes its own fresh entities for someone else's, and revocation leaves nothing behind.
 */
import * as $Ram from '@alicloud/ram20150501';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Reason } from '../../../src/api/constants.js';
import type { CrossAccountDelegationSpec } from '../../../src/api/spec.js';
import { RamClient } from '../../../src/alicloud/clients.js';
import { isCloudError } from '../../../src/alicloud/errors.js';
import { classifyError } from '../../../src/controller/classify-error.js';
import {
  reconcileDelegation,
  revokeDelegation,
  type ReconcileOutcome,
} from '../../../src/delegation/engine.js';
import { generatePassword } from '../../../src/delegation/password.js';
import { atLeastHalf, CallCounter, startTestCloud, type TestCloud } from '../../support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../../support/delegation.js';
import {
  AUTHORIZED_ACCOUNT as B,
  OWNER_ACCOUNT as A,
  aDelegation,
  withConsoleUser,
  withProgrammaticUser,
  withRole,
  withTrust,
  withUsers,
} from '../../support/gen.js';

const LAGS = { consistencyLagMs: 3000, tagLagMs: 5000, authorizationLagMs: 1500, lowercaseArns: 1 };

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud({ random: atLeastHalf });
});
afterEach(async () => {
  await cloud.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const options = testEngineOptions({ sleep: async () => void (await sleep(10)) });

/** Runs passes until one is synced and changes nothing; every failure on the way must be retryable. */
async function converge(
  spec: CrossAccountDelegationSpec,
  store: CredentialStore,
  timeoutMs = 20_000,
): Promise<{ passes: ReconcileOutcome[]; failures: unknown[] }> {
  const passes: ReconcileOutcome[] = [];
  const failures: unknown[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const outcome = await reconcileDelegation(delegationInput(cloud, spec, store), options);
      store.store(outcome.authorized?.issued ?? []);
      passes.push(outcome);
      expect(outcome.owner.blocked, 'owner blocked').toBeUndefined();
      expect(outcome.authorized?.blocked, 'authorized blocked').toBeUndefined();
      const changes = [...outcome.owner.changes, ...(outcome.authorized?.changes ?? [])];
      if (outcome.authorized?.synced && changes.length === 0) return { passes, failures };
    } catch (error) {
      failures.push(error);
      expect(classifyError(error).retryable, String(error)).toBe(true);
    }
    if (Date.now() > deadline) throw new Error(`no convergence; last failure: ${String(failures.at(-1))}`);
    await sleep(200);
  }
}

async function state(accountId: string): Promise<any> {
  return cloud.admin('GET', `/_emulator/accounts/${accountId}/state`);
}

function rootSdk(accountId: string): RamClient {
  const root = accountId === A ? cloud.owner : cloud.authorized;
  return new RamClient(
    new $OpenApiUtil.Config({
      accessKeyId: root.accessKeyId,
      accessKeySecret: root.accessKeySecret,
      endpoint: cloud.endpoints.ram,
      protocol: 'http',
    }),
  );
}

describe('under RAM’s eventual consistency', () => {
  it('a pass right after the one that created everything never calls it unmanaged, and converges', async () => {
    await cloud.faults(LAGS);
    const spec = aDelegation(withUsers(), withProgrammaticUser('publisher'));
    const store = new CredentialStore();
    const { passes, failures } = await converge(spec, store);
    // The pass right after the first one met RAM's lag (reads at least 1.5 s stale): a wait, not a stall.
    expect(passes.length + failures.length).toBeGreaterThan(1);
    for (const failure of failures) expect(classifyError(failure).reason).not.toBe(Reason.EntityNotManaged);
    const b = await state(B);
    expect(b.users.map((u: any) => [u.userName, u.accessKeyIds.length])).toEqual([['publisher', 1]]);
    expect(store.records.current().authorized.users).toEqual(['publisher']);
  });

  it('revocation right after creation deletes the user a lagging read does not show, with its key', async () => {
    await cloud.faults(LAGS);
    const spec = aDelegation(withUsers(), withProgrammaticUser('publisher'), withConsoleUser('alice'));
    const store = new CredentialStore();
    const first = await reconcileDelegation(delegationInput(cloud, spec, store), options);
    store.store(first.authorized?.issued ?? []);
    expect(first.authorized?.synced).toBe(true);

    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await revokeDelegation(delegationInput(cloud, spec, store), options);
        break;
      } catch (error) {
        expect(classifyError(error).retryable, String(error)).toBe(true);
        if (Date.now() > deadline) throw error;
        await sleep(300);
      }
    }
    const [a, b] = [await state(A), await state(B)];
    expect([a.roles, a.policies, b.users, b.groups, b.policies].map((l: unknown[]) => l.length)).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(store.records.current()).toEqual({
      owner: { policies: [] },
      authorized: { users: [], groups: [], policies: [] },
    });
  });

  it('LimitExceeded of AccessKeys while RAM does not list the user’s keys is a wait, then converges', async () => {
    const spec = aDelegation(withUsers(), withProgrammaticUser('publisher'));
    const store = new CredentialStore();
    await converge(spec, store);
    // Two keys nobody stored (a crash before the Secret was written, twice), not listed yet.
    await cloud.faults({ consistencyLagMs: 60_000 });
    const ram = cloud.ports(cloud.authorized).ram;
    const listedBefore = (await ram.listAccessKeys('publisher')).map((k) => k.accessKeyId);
    await ram.deleteAccessKey('publisher', listedBefore[0]!);
    await ram.createAccessKey('publisher');
    await ram.createAccessKey('publisher');
    store.accessKeys.clear();

    const error = await reconcileDelegation(delegationInput(cloud, spec, store), options).then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = (error as { cause?: unknown }).cause;
    expect(isCloudError(cause) && cause.code).toBe('LimitExceeded.User.AccessKey');
    expect(classifyError(error)).toMatchObject({ retryable: true, reason: 'TransientError' });

    await cloud.faults({ consistencyLagMs: 0 });
    await converge(spec, store);
    const keys = (await state(B)).users[0].accessKeyIds;
    expect(keys).toEqual([store.accessKeys.get('publisher')?.accessKeyId]);
  });

  it('uses the role ARN RAM returns (lower-cased) and does not flip-flop on it', async () => {
    await cloud.faults({ lowercaseArns: 1 });
    const spec = aDelegation(withRole('Orders-Publisher'), withUsers(), withProgrammaticUser('publisher'));
    const store = new CredentialStore();
    const { passes } = await converge(spec, store);
    const arn = `acs:ram::${A}:role/orders-publisher`;
    expect(passes[0]!.roleArn).toBe(arn);
    expect(store.records.current().owner).toMatchObject({ roleName: 'Orders-Publisher', roleArn: arn });
    const grant = (await state(B)).policies[0];
    expect(JSON.stringify(grant)).toContain(arn);

    // A resync changes nothing, and B's user really assumes the role by that ARN.
    const resync = await reconcileDelegation(
      delegationInput(cloud, spec, store, { correctionsAreDrift: true }),
      options,
    );
    expect([...resync.owner.changes, ...(resync.authorized?.changes ?? [])]).toEqual([]);
    const key = store.accessKeys.get('publisher')!;
    const asUser = cloud.ports({ accountId: B, ...key });
    await expect(
      asUser.sts.assumeRole({ roleArn: arn, roleSessionName: 'check', durationSeconds: 900 }),
    ).resolves.toMatchObject({ securityToken: expect.any(String) });
  });
});

describe('principals: Users', () => {
  it('creates B’s users before A’s trust policy names them', async () => {
    const spec = aDelegation(withTrust('Users'), withUsers(), withProgrammaticUser('publisher'));
    const calls: string[] = [];
    const observer = {
      afterCall: (call: { accountId: string; action: string }) =>
        void calls.push(`${call.accountId}:${call.action}`),
    };
    const store = new CredentialStore();
    const outcome = await reconcileDelegation(delegationInput(cloud, spec, store, { observer }), options);
    expect(outcome.authorized?.synced).toBe(true);
    const createUser = calls.indexOf(`${B}:CreateUser`);
    const createRole = calls.indexOf(`${A}:CreateRole`);
    expect(createUser).toBeGreaterThanOrEqual(0);
    expect(createRole).toBeGreaterThan(createUser);
    const role = (await state(A)).roles[0];
    expect(JSON.stringify(role)).toContain(`acs:ram::${B}:user/publisher`);

    // Adding a user: B creates it first, then A's trust policy names it.
    const two = aDelegation(
      withTrust('Users'),
      withUsers(),
      withProgrammaticUser('publisher'),
      withProgrammaticUser('second'),
    );
    calls.length = 0;
    await reconcileDelegation(delegationInput(cloud, two, store, { observer }), options);
    expect(calls.indexOf(`${A}:UpdateRole`)).toBeGreaterThan(calls.indexOf(`${B}:CreateUser`));
  });
});

describe('console users', () => {
  it('get a password that satisfies B’s password policy, and sign in under B’s account alias', async () => {
    const sdk = rootSdk(B);
    await sdk.setPasswordPolicy(
      new $Ram.SetPasswordPolicyRequest({ minimumPasswordLength: 20, requireSymbols: true }),
    );
    await sdk.setAccountAlias(new $Ram.SetAccountAliasRequest({ accountAlias: 'partner-b' }));
    const spec = aDelegation(withUsers(), withConsoleUser('alice', { mfaRequired: false }));
    const store = new CredentialStore();
    const outcome = await reconcileDelegation(delegationInput(cloud, spec, store), {
      ...options,
      generatePassword,
    });
    expect(outcome.authorized?.synced).toBe(true);
    const issued = outcome.authorized!.issued[0]!;
    if (issued.kind !== 'Password') throw new Error('no password issued');
    expect(issued.password.length).toBeGreaterThanOrEqual(20);
    expect(issued.password).toMatch(/[^A-Za-z0-9]/);
    expect(issued.userPrincipalName).toBe('alice@partner-b.onaliyun.com');
    expect(outcome.authorized!.users[0]?.principalName).toBe('alice@partner-b.onaliyun.com');
    expect((await state(B)).users[0]).toMatchObject({ userName: 'alice' });
  });
});

describe('reads per pass', () => {
  it('a resync of a Ready delegation reads by name only: the same whatever else the account holds', async () => {
    const spec = aDelegation(withUsers(), withProgrammaticUser('publisher'));
    const store = new CredentialStore();
    await converge(spec, store);
    const resync = async () => {
      const counter = new CallCounter();
      await reconcileDelegation(
        delegationInput(cloud, spec, store, { observer: counter, correctionsAreDrift: true }),
        options,
      );
      expect(counter.writes).toBe(0);
      return [...counter.actions].sort();
    };
    const small = await resync();
    const ram = cloud.ports(cloud.authorized).ram;
    for (let i = 0; i < 150; i++) {
      await ram.createUser({ userName: `someone-${i}`, displayName: 'x', comments: '' });
    }
    expect(await resync()).toEqual(small);
    expect(small.filter((a) => /^List(Users|Groups|Roles|Policies)$/.test(a))).toEqual([]);
  });
});
