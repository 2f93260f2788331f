/**
 * Issue #15 acceptance in the sandbox (our API server, the emulator, the operator as a child process),
 * through the real kubectl and the official SDKs. The four timed scenarios run at once:
 * - expiry: Ready until `expiresAt`, then within 10 s Ready=False Expired, old STS credentials refused
 *   and no new access; moved an hour later, Ready again and the user assumes the role;
 * - rotation (after 20s, grace 10s): a new key in the Secret within 40 s that works, the old key refused
 *   within the grace period + 15 s, never more than two keys;
 * - last used: a call signed with the user's key shows in `status.users[].accessKeyLastUsed` within a
 *   resync;
 * - plan: `npm run plan` exits 2 naming the role and user it would create, 0 once applied and Ready, 2
 *   naming a policy attached behind the operator's back as a detach, and the emulator's counter shows
 *   no write from it. Plan runs against accounts of its own, reconciled by a second operator that
 *   watches only its namespace and resyncs rarely, so nothing but plan runs in them meanwhile.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type RootKey } from '@ram-delegation/alicloud-emulator';
import { kubectlFor } from '@ram-delegation/kube-apiserver';
import {
  endpointOf,
  isRefusal,
  spawnOperator,
  startSandboxEnvironment,
  type OperatorProcess,
  type SandboxEnvironment,
} from '@ram-delegation/sandbox';
import { withAuthorized, withKeyRotation, withOwner, withPolicies, expiringAt } from '../support/gen.js';
import { eventually, getJson, publishToBus, type ScenarioContext } from './delegation-scenario.js';
import {
  assumeAs,
  eventReasons,
  kube,
  manifest,
  npmRunPlan,
  portsFor,
  readyCondition,
  refused,
  rfc3339,
  userKey,
  writeCount,
} from './lifecycle-scenario.js';

const RESYNC_SECONDS = 8;
const PLAN_NAMESPACE = 'plan-e2e';
const PLAN_ACCOUNTS = { owner: '3333333333333333', authorized: '4444444444444444' };

let env: SandboxEnvironment;
let ctx: ScenarioContext;
const operators: OperatorProcess[] = [];
const planRoots: Partial<Record<'owner' | 'authorized', RootKey>> = {};

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-lifecycle-')) });
  ctx = { kubectl: kubectlFor(env.kubeApiServer), sandbox: env.info };
  await kube(ctx, ['create', 'namespace', PLAN_NAMESPACE]);
  for (const side of ['owner', 'authorized'] as const) {
    const root = await createAccount(env.info.emulatorUrl, PLAN_ACCOUNTS[side]);
    planRoots[side] = root;
    await kube(ctx, [
      'create',
      'secret',
      'generic',
      `plan-${side}`,
      '-n',
      PLAN_NAMESPACE,
      `--from-literal=accessKeyId=${root.accessKeyId}`,
      `--from-literal=accessKeySecret=${root.accessKeySecret}`,
    ]);
  }
  operators.push(
    spawnOperator({
      sandbox: env.info,
      resyncSeconds: RESYNC_SECONDS,
      extraArgs: ['--watch-namespace=default'],
    }),
    spawnOperator({
      sandbox: env.info,
      clusterName: 'sandbox-plan',
      resyncSeconds: 600,
      extraArgs: [`--watch-namespace=${PLAN_NAMESPACE}`],
    }),
  );
  await Promise.all(operators.map((operator) => operator.waitForLine(/operator started/, 60_000)));
}, 120_000);

afterAll(async () => {
  await Promise.all(operators.map((operator) => operator.stop()));
  await env?.stop();
});

describe.concurrent('lifecycle in the sandbox (issue #15)', () => {
  it('expiry: revoked within 10 s of expiresAt, granted again when moved an hour later', async () => {
    const id = 'expiring';
    const expiresAt = Math.floor((Date.now() + 25_000) / 1000) * 1000;
    await kube(ctx, ['apply', '-f', '-'], manifest(id, [expiringAt(rfc3339(expiresAt))]));
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${id}`, '--timeout=20s']);
    expect(Date.now()).toBeLessThan(expiresAt);
    expect(await kube(ctx, ['get', 'cad', id])).toMatch(new RegExp(`EXPIRES[\\s\\S]*${rfc3339(expiresAt)}`));
    const key = await userKey(ctx, id);
    const before = await eventually(() => assumeAs(ctx, id, key), 10_000, 'STS credentials before expiry');
    expect(await publishToBus(ctx, before)).toBeTruthy();

    const expiredAt = await eventually(
      async () => ((await readyCondition(ctx, id))?.reason === 'Expired' ? Date.now() : undefined),
      40_000,
      'Ready=False with reason Expired',
      250,
    );
    expect(expiredAt - expiresAt).toBeLessThanOrEqual(10_000);
    expect(await readyCondition(ctx, id)).toMatchObject({ status: 'False', reason: 'Expired' });

    // Credentials issued before are refused; the user's key reaches the bus no more.
    const old = await publishToBus(ctx, before).then(
      () => 'accepted',
      (error: unknown) => (isRefusal(error) ? 'refused' : `unexpected: ${String(error)}`),
    );
    expect(old).toBe('refused');
    const fresh = await assumeAs(ctx, id, key).then(
      (credentials) =>
        publishToBus(ctx, credentials).then(
          () => 'published',
          (error: unknown) => (isRefusal(error) ? 'session refused' : `unexpected: ${String(error)}`),
        ),
      (error: unknown) => (isRefusal(error) ? 'AssumeRole refused' : `unexpected: ${String(error)}`),
    );
    expect(['AssumeRole refused', 'session refused']).toContain(fresh);
    expect(await eventReasons(ctx, id)).toEqual(
      expect.arrayContaining(['Warning/ExpiresSoon', 'Warning/Expired']),
    );

    const later = rfc3339(Date.now() + 3_600_000);
    await kube(ctx, [
      'patch',
      'cad',
      id,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { expiresAt: later } }),
    ]);
    await eventually(
      async () => ((await readyCondition(ctx, id))?.status === 'True' ? true : undefined),
      30_000,
      'Ready again',
      250,
    );
    const again = await eventually(() => assumeAs(ctx, id, key), 10_000, 'AssumeRole after un-expiring');
    expect(await eventually(() => publishToBus(ctx, again), 10_000, 'publishing again')).toBeTruthy();
  }, 120_000);

  it('rotation: a new working key within 40 s, the old one refused within grace + 15 s, two keys at most', async () => {
    const id = 'rotating';
    const user = `${id}-user`;
    const appliedAt = Date.now();
    await kube(ctx, ['apply', '-f', '-'], manifest(id, [withKeyRotation(user, '20s', '10s')]));
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${id}`, '--timeout=20s']);
    const first = await userKey(ctx, id);

    const ram = portsFor(ctx, ctx.sandbox.authorized.accountId, ctx.sandbox.authorized).ram;
    let mostKeys = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        mostKeys = Math.max(mostKeys, (await ram.listAccessKeys(user)).length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      const second = await eventually(
        async () => {
          const key = await userKey(ctx, id);
          return key.accessKeyId !== first.accessKeyId ? key : undefined;
        },
        appliedAt + 40_000 - Date.now(),
        'a new accessKeyId in the Secret within 40 s',
        250,
      );
      const rotatedAt = Date.now();
      await eventually(() => assumeAs(ctx, id, second), 10_000, 'the new key assuming the role');
      await eventually(
        async () => ((await refused(ctx, first)) ? true : undefined),
        rotatedAt + 10_000 + 15_000 - Date.now(),
        'the old key refused within its grace period + 15 s',
        250,
      );
      expect(await refused(ctx, second)).toBe(false);
      expect(await eventReasons(ctx, id)).toContain('Normal/AccessKeyRotated');
    } finally {
      watching = false;
      await watcher;
    }
    expect(mostKeys).toBeGreaterThanOrEqual(2);
    expect(mostKeys).toBeLessThanOrEqual(2);
  }, 120_000);

  it('last used: a call signed with the user’s key shows in the status within a resync', async () => {
    const id = 'last-used';
    await kube(ctx, ['apply', '-f', '-'], manifest(id));
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${id}`, '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 1_500));
    const signedAt = rfc3339(Math.floor(Date.now() / 1000) * 1000);
    await portsFor(ctx, ctx.sandbox.authorized.accountId, await userKey(ctx, id)).sts.getCallerIdentity();
    const lastUsed = await eventually(
      async () => {
        const object = await getJson(ctx, 'cad', id);
        const used = object.status?.users?.[0]?.accessKeyLastUsed as string | undefined;
        return used !== undefined && used >= signedAt ? used : undefined;
      },
      (RESYNC_SECONDS * 1.1 + 10) * 1000,
      `status.users[].accessKeyLastUsed at or after ${signedAt}`,
      250,
    );
    expect(lastUsed >= signedAt).toBe(true);
    const status = (await getJson(ctx, 'cad', id)).status.users[0];
    expect(status.accessKeyCreated <= lastUsed).toBe(true);
  }, 60_000);

  it('plan: 2 from scratch, 0 once Ready, 2 with a detach after drift, and never a write', async () => {
    const id = 'planned';
    const file = join(mkdtempSync(join(tmpdir(), 'plan-e2e-')), 'planned.yaml');
    writeFileSync(
      file,
      manifest(
        id,
        [
          withOwner(PLAN_ACCOUNTS.owner, { secretRef: { name: 'plan-owner' } }),
          withAuthorized(PLAN_ACCOUNTS.authorized, { secretRef: { name: 'plan-authorized' } }),
          withPolicies({ system: 'AliyunEventBridgeReadOnlyAccess' }),
        ],
        { namespace: PLAN_NAMESPACE },
      ),
    );
    const endpoint = endpointOf(env.info.emulatorUrl).endpoint;
    const accounts = [PLAN_ACCOUNTS.owner, PLAN_ACCOUNTS.authorized];
    const plan = async (...extra: string[]) => {
      const before = await writeCount(env.info.emulatorUrl, accounts);
      const result = await npmRunPlan([
        '-f',
        file,
        `--kubeconfig=${env.info.kubeconfig}`,
        `--ram-endpoint=${endpoint}`,
        `--sts-endpoint=${endpoint}`,
        '--alicloud-protocol=http',
        '--cluster-name=sandbox-plan',
        ...extra,
      ]);
      expect(await writeCount(env.info.emulatorUrl, accounts), 'writes while plan ran').toBe(before);
      return result;
    };

    const fresh = await plan();
    expect(fresh.stderr).toBe('');
    expect(fresh.code).toBe(2);
    expect(fresh.stdout).toMatch(new RegExp(`\\+ create role ${id}\\n`));
    expect(fresh.stdout).toMatch(new RegExp(`\\+ create user ${id}-user\\n`));

    await kube(ctx, ['apply', '-f', file]);
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${id}`, '-n', PLAN_NAMESPACE, '--timeout=30s']);
    const ready = await plan();
    expect(ready.stdout).toMatch(/no changes/);
    expect(ready.code).toBe(0);

    const root = planRoots.owner!;
    await portsFor(ctx, root.accountId, root).ram.attachPolicyToRole(
      { policyName: 'AliyunEventBridgeFullAccess', policyType: 'System' },
      id,
    );
    const drifted = await plan();
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toMatch(
      new RegExp(`- detach system policy AliyunEventBridgeFullAccess from role ${id} {2}\\[destructive\\]`),
    );
    const json = await plan('--output=json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      delegations: [
        {
          namespace: PLAN_NAMESPACE,
          name: id,
          changes: [
            {
              account: 'owner',
              action: 'detach',
              target: `attachment/AliyunEventBridgeFullAccess->role/${id}`,
              destructive: true,
            },
          ],
          refusals: [],
        },
      ],
    });
  }, 180_000);
});
