/**
 * Issue 5 acceptance: the delegation engine against the emulator, through the official SDKs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OWNERSHIP_TAG_KEY } from '../../../src/api/constants.js';
import { isRefusal, publishEvent } from '@ram-delegation/sandbox';
import { type CallObserver } from '../../../src/alicloud/index.js';
import {
  reconcileDelegation,
  revokeDelegation,
  type ReconcileOutcome,
} from '../../../src/delegation/engine.js';
import {
  AUTHORIZED_ACCOUNT,
  CallCounter,
  OWNER_ACCOUNT,
  startTestCloud,
  type TestCloud,
} from '../../support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../../support/delegation.js';
import { ROLE_ARN, ROLE_NAME as ROLE, TEST_OWNERSHIP, aDelegation } from '../../support/gen.js';

const spec = aDelegation();
const options = testEngineOptions();
const { marker, tagValue } = TEST_OWNERSHIP;

let cloud: TestCloud;

async function resetCloud(): Promise<void> {
  await cloud.stop();
  cloud = await startTestCloud();
}

/** One engine pass that stores what it issued, as the operator would. */
async function pass(
  store: CredentialStore,
  observer?: CallObserver,
  correctionsAreDrift = false,
): Promise<ReconcileOutcome> {
  const outcome = await reconcileDelegation(
    delegationInput(cloud, spec, store, { ...(observer ? { observer } : {}), correctionsAreDrift }),
    options,
  );
  store.store(outcome.authorized?.issued ?? []);
  return outcome;
}

/** Passes until one reports both sides synced (a crashed pass throws; the caller decides). */
async function converge(store: CredentialStore): Promise<ReconcileOutcome> {
  const outcome = await pass(store);
  expect(outcome.owner.blocked).toBeUndefined();
  expect(outcome.authorized?.blocked).toBeUndefined();
  expect(outcome.owner.synced && outcome.authorized?.synced).toBe(true);
  return outcome;
}

/** Both accounts' state without ids, dates and key ids: what must be equal after any crash history. */
async function normalizedState(): Promise<unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value.map(strip).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => !/(Id|Date)$/.test(k) || k === 'defaultVersion')
          .map(([k, v]) => [k, k === 'accessKeyIds' ? (v as unknown[]).length : strip(v)]),
      );
    }
    return value;
  };
  return {
    owner: strip(await cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`)),
    authorized: strip(await cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`)),
  };
}

/** Entities in either account that carry this delegation's tag or marker. */
async function managedLeftovers(): Promise<string[]> {
  const left: string[] = [];
  for (const accountId of [OWNER_ACCOUNT, AUTHORIZED_ACCOUNT]) {
    const state = await cloud.admin('GET', `/_emulator/accounts/${accountId}/state`);
    for (const r of state.roles)
      if (r.tags[OWNERSHIP_TAG_KEY] === tagValue) left.push(`${accountId} role/${r.roleName}`);
    for (const p of state.policies)
      if (p.tags[OWNERSHIP_TAG_KEY] === tagValue) left.push(`${accountId} policy/${p.policyName}`);
    for (const u of state.users)
      if (String(u.comments).includes(marker)) left.push(`${accountId} user/${u.userName}`);
    for (const g of state.groups)
      if (String(g.comments).includes(marker)) left.push(`${accountId} group/${g.groupName}`);
  }
  return left;
}

/** STS credentials for the role, obtained as B's Programmatic user. */
async function assumeAsPublisher(store: CredentialStore) {
  const key = store.accessKeys.get('orders-publisher');
  if (!key) throw new Error('the publisher has no stored key');
  const user = cloud.ports({ accountId: AUTHORIZED_ACCOUNT, ...key });
  return user.sts.assumeRole({ roleArn: ROLE_ARN, roleSessionName: 'engine-test', durationSeconds: 900 });
}

async function publishWith(credentials: {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}): Promise<string> {
  return publishEvent(
    { endpoint: cloud.url.replace('http://', ''), protocol: 'http', busName: 'orders' },
    credentials,
    {
      id: `e-${Math.random()}`,
      source: 'engine-test',
      type: 'orders.created',
      data: { ok: true },
    },
  );
}

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud.stop();
});

describe('reconcile', () => {
  beforeEach(resetCloud);

  it('brings both accounts from scratch to the spec; a second pass makes zero writes', async () => {
    const store = new CredentialStore();
    const first = await converge(store);
    expect(first.roleArn).toBe(ROLE_ARN);
    expect(first.owner.changes.length).toBeGreaterThan(0);
    expect(first.authorized?.issued.map((c) => `${c.userName}:${c.kind}`).sort()).toEqual([
      'alice:Password',
      'orders-publisher:AccessKey',
    ]);

    const counter = new CallCounter();
    const second = await pass(store, counter);
    expect(second.owner.changes).toEqual([]);
    expect(second.authorized?.changes).toEqual([]);
    expect(counter.writes, `writes: ${counter.writeActions().join(', ')}`).toBe(0);
    expect(counter.reads).toBeGreaterThan(0);

    const credentials = await assumeAsPublisher(store);
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    await expect(publishWith(credentials)).resolves.toBeTruthy();
  });

  const drifts: [name: string, make: () => Promise<void>, expectedEntity: RegExp][] = [
    [
      'trust policy edited',
      () =>
        cloud.ports(cloud.owner).ram.updateRole(ROLE, {
          trustPolicy: JSON.stringify({
            Version: '1',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Principal: { RAM: ['acs:ram::3333333333333333:root'] },
              },
            ],
          }),
        }),
      /role\//,
    ],
    [
      'an extra policy attached to the role',
      () =>
        cloud
          .ports(cloud.owner)
          .ram.attachPolicyToRole({ policyName: 'AdministratorAccess', policyType: 'System' }, ROLE),
      /AdministratorAccess/,
    ],
    [
      'a custom policy document changed out of band',
      () =>
        cloud.ports(cloud.owner).ram.createPolicyVersion(
          'orders-bus-publish',
          JSON.stringify({
            Version: '1',
            Statement: [{ Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' }],
          }),
        ),
      /policy\/orders-bus-publish/,
    ],
    [
      'the grant detached from a user',
      async () => {
        const ram = cloud.ports(cloud.authorized).ram;
        const [grant] = await ram.listPoliciesForUser('orders-publisher');
        if (!grant) throw new Error('the user holds no grant');
        await ram.detachPolicyFromUser(grant, 'orders-publisher');
      },
      /orders-publisher/,
    ],
    [
      'a user deleted',
      async () => {
        const ram = cloud.ports(cloud.authorized).ram;
        for (const key of await ram.listAccessKeys('orders-publisher'))
          await ram.deleteAccessKey('orders-publisher', key.accessKeyId);
        for (const policy of await ram.listPoliciesForUser('orders-publisher'))
          await ram.detachPolicyFromUser(policy, 'orders-publisher');
        await ram.deleteUser('orders-publisher');
      },
      /user\/orders-publisher/,
    ],
    [
      'an extra AccessKey created',
      async () => {
        await cloud.ports(cloud.authorized).ram.createAccessKey('orders-publisher');
      },
      /accesskey\/orders-publisher/,
    ],
  ];

  it.each(drifts)('repairs drift in one pass: %s', async (_name, makeDrift, expectedEntity) => {
    const store = new CredentialStore();
    await converge(store);
    const before = await normalizedState();
    await makeDrift();
    const repaired = await pass(store, undefined, true);
    const changes = [...repaired.owner.changes, ...(repaired.authorized?.changes ?? [])];
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.drift)).toBe(true);
    expect(changes.map((c) => `${c.entity} ${c.description}`).join('\n')).toMatch(expectedEntity);
    const counter = new CallCounter();
    await pass(store, counter);
    expect(counter.writes, counter.writeActions().join(', ')).toBe(0);
    const after = await normalizedState();
    // Out-of-band policy versions stay in history; everything else is back as it was.
    expect(stripVersions(after)).toEqual(stripVersions(before));
    const state = await cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`);
    for (const user of state.users) expect(user.accessKeyIds.length).toBeLessThanOrEqual(1);
  });

  it('leaves an unmanaged role with the same name untouched and reports EntityNotManaged', async () => {
    const ram = cloud.ports(cloud.owner).ram;
    const trust = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::3333333333333333:root'] } },
      ],
    });
    await ram.createRole({
      roleName: ROLE,
      trustPolicy: trust,
      description: 'someone else',
      maxSessionDuration: 7200,
    });
    const before = await cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`);
    const outcome = await pass(new CredentialStore());
    expect(outcome.owner.blocked?.reason).toBe('EntityNotManaged');
    expect(outcome.authorized).toBeUndefined();
    expect(await cloud.admin('GET', `/_emulator/accounts/${OWNER_ACCOUNT}/state`)).toEqual(before);
    const authorizedState = await cloud.admin('GET', `/_emulator/accounts/${AUTHORIZED_ACCOUNT}/state`);
    expect(authorizedState.users).toEqual([]);
  });
});

function stripVersions(state: any): unknown {
  const copy = structuredClone(state);
  for (const p of copy.owner.policies) {
    delete p.versions;
    delete p.defaultVersion;
  }
  return copy;
}

describe('revoke', () => {
  beforeEach(resetCloud);

  it('removes every managed entity; STS credentials issued before are refused right after the detach step', async () => {
    const store = new CredentialStore();
    await converge(store);
    const credentials = await assumeAsPublisher(store);
    await expect(publishWith(credentials)).resolves.toBeTruthy();

    // Stop revocation right after its detach step: the token must already be worthless.
    const attached = (await cloud.ports(cloud.owner).ram.listPoliciesForRole(ROLE)).length;
    const counter = new CallCounter();
    counter.crashAfterWrites = attached;
    const input = delegationInput(cloud, spec, store, { observer: counter });
    await expect(revokeDelegation(input, options)).rejects.toThrow();
    const refused = await publishWith(credentials).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isRefusal(refused), String(refused)).toBe(true);

    const outcome = await revokeDelegation(delegationInput(cloud, spec, store), options);
    expect(outcome.authorized).toBeDefined();
    expect(await managedLeftovers()).toEqual([]);
    await expect(assumeAsPublisher(store)).rejects.toThrow();
  });

  it('reports how long access outlived the request', async () => {
    const store = new CredentialStore();
    await converge(store);
    const outcome = await revokeDelegation(delegationInput(cloud, spec, store), options);
    expect(outcome.accessRevokedAfterMs).toBeGreaterThanOrEqual(0);
    expect(outcome.accessRevokedAfterMs).toBeLessThan(5_000);
    expect(await managedLeftovers()).toEqual([]);
    // A second revoke finds everything already gone and succeeds.
    await expect(revokeDelegation(delegationInput(cloud, spec, store), options)).resolves.toBeDefined();
  });
});

describe('crash safety', () => {
  it('converges to the clean result after a crash at every write of apply', async () => {
    await resetCloud();
    const counter = new CallCounter();
    await pass(new CredentialStore(), counter);
    const totalWrites = counter.writes;
    const clean = await normalizedState();
    expect(totalWrites).toBeGreaterThan(5);

    for (let k = 1; k <= totalWrites; k++) {
      await resetCloud();
      const store = new CredentialStore();
      const crashing = new CallCounter();
      crashing.crashAfterWrites = k;
      // The crash loses whatever the pass issued: the operator died before writing its Secrets.
      await expect(
        reconcileDelegation(delegationInput(cloud, spec, store, { observer: crashing }), options),
      ).rejects.toThrow(/crash after write/);
      await converge(store);
      expect(await normalizedState(), `crash after write ${k}`).toEqual(clean);
      const again = new CallCounter();
      await pass(store, again);
      expect(again.writes, `crash after write ${k}: ${again.writeActions().join(', ')}`).toBe(0);
    }
  }, 120_000);

  it('revokes completely after a crash at every write of revoke', async () => {
    await resetCloud();
    const store = new CredentialStore();
    await converge(store);
    const counter = new CallCounter();
    await revokeDelegation(delegationInput(cloud, spec, store, { observer: counter }), options);
    const totalWrites = counter.writes;
    expect(totalWrites).toBeGreaterThan(5);

    for (let k = 1; k <= totalWrites; k++) {
      await resetCloud();
      const s = new CredentialStore();
      await converge(s);
      const crashing = new CallCounter();
      crashing.crashAfterWrites = k;
      await expect(
        revokeDelegation(delegationInput(cloud, spec, s, { observer: crashing }), options),
      ).rejects.toThrow(/crash after write/);
      await revokeDelegation(delegationInput(cloud, spec, s), options);
      expect(await managedLeftovers(), `crash after write ${k}`).toEqual([]);
    }
  }, 120_000);
});
