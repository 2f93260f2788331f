/**
 * Issue #12's acceptance, in the sandbox (our API server, the emulator, the operator as a child process,
 * kubectl and the official SDKs), with RAM lagging the way the real one does:
 * `{"consistencyLagMs": 3000, "tagLagMs": 5000, "authorizationLagMs": 1500, "lowercaseArns": 1}`.
 * Several new delegations (a role name with capitals, `requireMFA: true`, `principals: Users` with a
 * Console user) become Ready within 60 s and are never Stalled on the way; B's Programmatic users assume
 * the non-MFA roles and publish to A's bus; a policy attached behind the operator's back is detached
 * within a resync; the `requireMFA` delegation makes no AssumeRole at all in steady state (the call
 * counter); the Console user signs in under B's alias with a password that satisfies B's policy;
 * credentials issued before a delete are refused (a permission or token error) within
 * `authorizationLagMs` + 2 s; and nothing is left afterwards.
 */
import * as $Ram from '@alicloud/ram20150501';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { callCounts } from '@ram-delegation/alicloud-emulator';
import { assumeRole, isRefusal, publishEvent, type StsCredentials } from '@ram-delegation/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RamClient } from '../../src/alicloud/clients.js';
import { API_GROUP, API_VERSION, PLURAL } from '../../src/api/constants.js';
import { condition, isReady, setFaults, sleep } from '../reliability/fleet.js';
import { accountDump, managedLeftovers, secretLeftovers, startRig, type Rig } from '../reliability/rig.js';
import { DELEGATIONS, eventually, manifest, secretData } from './lagged-scenario.js';

const LAGS = { consistencyLagMs: 3000, tagLagMs: 5000, authorizationLagMs: 1500, lowercaseArns: 1 };
const RESYNC_SECONDS = 12;
const ALIAS = 'partner-b';

let rig: Rig;
const resource = () => ({
  group: API_GROUP,
  version: API_VERSION,
  namespace: rig.env.info.namespace,
  plural: PLURAL,
});

beforeAll(async () => {
  rig = await startRig({ resyncSeconds: RESYNC_SECONDS, extraArgs: ['--workers=4'] });
  const sdk = new RamClient(
    new $OpenApiUtil.Config({
      accessKeyId: rig.env.info.authorized.accessKeyId,
      accessKeySecret: rig.env.info.authorized.accessKeySecret,
      endpoint: endpoint(),
      protocol: 'http',
    }),
  );
  await sdk.setAccountAlias(new $Ram.SetAccountAliasRequest({ accountAlias: ALIAS }));
  await sdk.setPasswordPolicy(
    new $Ram.SetPasswordPolicyRequest({ minimumPasswordLength: 20, requireSymbols: true }),
  );
  // After the account settings: RAM would show a just-set alias late too (and the operator remembers it).
  await setFaults(rig.env.info.emulatorUrl, LAGS);
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

const endpoint = () => rig.env.info.emulatorUrl.replace(/^https?:\/\//, '');

async function get(name: string): Promise<any> {
  return rig.fleet.api.getNamespacedCustomObject({ ...resource(), name });
}

const secret = (name: string) => secretData(rig, name);

async function credentialsFor(name: string): Promise<StsCredentials> {
  const { accessKeyId = '', accessKeySecret = '' } = await secret(`${name}-ak`);
  const cad = await get(name);
  return assumeRole(
    { endpoint: endpoint(), protocol: 'http' },
    { accessKeyId, accessKeySecret },
    cad.status.roleArn,
    {
      durationSeconds: 900,
    },
  );
}

async function publish(credentials: StsCredentials): Promise<string> {
  return publishEvent(
    { endpoint: endpoint(), protocol: 'http', busName: rig.env.info.eventBus.name },
    credentials,
    {
      id: `lag-${Date.now()}-${Math.random()}`,
      source: 'enterprise-b',
      type: 'orders.created',
      data: { order: 7 },
    },
  );
}

describe('issue #12 in a lagging cloud', () => {
  it('several new delegations become Ready within 60 s and are never Stalled on the way', async () => {
    for (const d of DELEGATIONS) {
      await rig.fleet.api.createNamespacedCustomObject({
        ...resource(),
        body: manifest(rig.env.info, d.name, d.role, d.trust, d.extraUsers),
      });
    }
    const started = Date.now();
    const stalled = new Set<string>();
    for (;;) {
      const items = await Promise.all(DELEGATIONS.map((d) => get(d.name)));
      for (const cad of items)
        if (condition(cad, 'Stalled')?.status === 'True')
          stalled.add(`${cad.metadata.name}: ${condition(cad, 'Stalled')?.message}`);
      if (items.every(isReady)) break;
      if (Date.now() - started > 60_000)
        throw new Error(`not Ready within 60 s: ${JSON.stringify(items.map((i) => i.status?.conditions))}`);
      await sleep(200);
    }
    expect([...stalled]).toEqual([]);

    const capitals = await get('capitals');
    expect(capitals.status.roleArn).toBe(`acs:ram::${rig.env.info.owner.accountId}:role/lag-publisher`);
    const mfa = await get('mfa');
    expect(condition(mfa, 'AccessVerified')).toMatchObject({ status: 'Unknown', reason: 'RequiresMFA' });
    expect(condition(mfa, 'Ready')?.status).toBe('True');
  }, 90_000);

  it('B’s Programmatic users assume the non-MFA roles and publish to A’s bus', async () => {
    for (const name of ['capitals', 'trusted-users', 'plain']) {
      const id = await eventually(
        async () => publish(await credentialsFor(name)),
        10_000,
        `${name} to publish`,
      );
      expect(id).toBeTruthy();
    }
  }, 60_000);

  it('the Console user signs in under B’s alias, with a password that satisfies B’s policy', async () => {
    const cad = await get('trusted-users');
    expect(cad.status.users).toContainEqual(
      expect.objectContaining({ name: 'lag-alice', principalName: `lag-alice@${ALIAS}.onaliyun.com` }),
    );
    const login = await secret('lag-alice-login');
    expect(login.userPrincipalName).toBe(`lag-alice@${ALIAS}.onaliyun.com`);
    expect(login.password!.length).toBeGreaterThanOrEqual(20);
    expect(login.password).toMatch(/[^A-Za-z0-9]/);
  });

  it('a policy attached behind the operator’s back is detached within a resync', async () => {
    const { owner } = rig.env.info;
    const sdk = new RamClient(
      new $OpenApiUtil.Config({
        accessKeyId: owner.accessKeyId,
        accessKeySecret: owner.accessKeySecret,
        endpoint: endpoint(),
        protocol: 'http',
      }),
    );
    await sdk.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        policyType: 'System',
        policyName: 'AliyunRAMReadOnlyAccess',
        roleName: 'lag-plain',
      }),
    );
    await eventually(
      async () => {
        const state = await accountDump(rig, owner.accountId);
        const role = (state.roles as any[]).find((r) => r.roleName === 'lag-plain');
        return role.attachedPolicies.some((p: any) => p.policyName === 'AliyunRAMReadOnlyAccess')
          ? undefined
          : true;
      },
      (RESYNC_SECONDS * 1.1 + 8) * 1000,
      'the out-of-band policy to be detached',
    );
  }, 60_000);

  it('credentials issued before a delete are refused within authorizationLagMs + 2 s', async () => {
    const credentials = await credentialsFor('capitals');
    await publish(credentials);
    const requestedAt = Date.now();
    await rig.fleet.api.deleteNamespacedCustomObject({ ...resource(), name: 'capitals' });
    const refusedAfterMs = await eventually(
      () =>
        publish(credentials).then(
          () => undefined,
          (error: unknown) => (isRefusal(error) ? Date.now() - requestedAt : undefined),
        ),
      10_000,
      'the old credentials to be refused',
    );
    expect(refusedAfterMs).toBeLessThanOrEqual(LAGS.authorizationLagMs + 2_000);
  }, 30_000);

  it('in steady state the requireMFA delegation makes no AssumeRole (the call counter)', async () => {
    // Only the MFA delegation verifies nothing; the others are deleted first so B's counter is its alone.
    for (const name of ['trusted-users', 'plain'])
      await rig.fleet.api.deleteNamespacedCustomObject({ ...resource(), name });
    await eventually(
      async () =>
        (
          await Promise.all(
            ['capitals', 'trusted-users', 'plain'].map((n) =>
              get(n).then(
                () => 1,
                () => 0,
              ),
            ),
          )
        ).some(Boolean)
          ? undefined
          : true,
      60_000,
      'the others to be gone',
    );
    const b = rig.env.info.authorized.accountId;
    const before = (await callCounts(rig.env.info.emulatorUrl, b))['sts:AssumeRole'] ?? 0;
    await sleep(2 * RESYNC_SECONDS * 1000 + 3_000);
    const after = (await callCounts(rig.env.info.emulatorUrl, b))['sts:AssumeRole'] ?? 0;
    expect(after - before).toBe(0);
  }, 90_000);

  it('deleting them all leaves no managed entity in either account and no Secret the operator wrote', async () => {
    await rig.fleet.api.deleteNamespacedCustomObject({ ...resource(), name: 'mfa' });
    await eventually(
      async () =>
        (await get('mfa').then(
          () => false,
          () => true,
        )) || undefined,
      60_000,
      'mfa to be gone',
    );
    expect(await managedLeftovers(rig)).toEqual([]);
    const secrets = await secretLeftovers(rig);
    expect(secrets.extra).toEqual([]);
    expect(secrets.credentialFinalizers).toEqual([]);
  }, 90_000);
});
