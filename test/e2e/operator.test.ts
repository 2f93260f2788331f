/**
 * Issue 6 acceptance: the Kubernetes API server, the emulator and the operator as a child process, driven
 * with the real kubectl and the official Alibaba Cloud SDKs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountPorts, staticCredentials, UNLIMITED } from '../../src/alicloud/index.js';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { spawnOperator, type OperatorProcess } from '@ram-delegation/sandbox';
import {
  accountState,
  applySeedUntilReady,
  assumeRoleAsPublisher,
  deleteAndTimeRefusal,
  eventually,
  exampleManifest,
  getJson,
  kube,
  managedEntities,
  NAME,
  publishToBus,
  secretData,
  type ScenarioContext,
} from './delegation-scenario.js';
import { kubectlFor } from '@ram-delegation/kube-apiserver';

const RESYNC_SECONDS = 3;

let env: SandboxEnvironment;
let ctx: ScenarioContext;
let operator: OperatorProcess;
/** Every secret value seen during the run; none may appear in the operator's logs. */
const secrets = new Set<string>();

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-e2e-')) });
  ctx = { kubectl: kubectlFor(env.kubeApiServer), sandbox: env.info };
  secrets.add(env.info.owner.accessKeySecret).add(env.info.authorized.accessKeySecret);
  operator = spawnOperator({
    sandbox: env.info,
    resyncSeconds: RESYNC_SECONDS,
    extraArgs: ['--log-level=debug'],
  });
  await operator.waitForLine(/operator started/);
}, 60_000);

afterAll(async () => {
  await operator?.stop();
  await env?.stop();
});

describe('the operator, end to end', () => {
  it('applies the seed example to Ready; B’s user assumes the role and publishes to A’s bus', async () => {
    const { key, credentials, applied } = await applySeedUntilReady(ctx);
    expect(applied).toMatch(/created/);
    expect(Object.keys(key).sort()).toEqual(['accessKeyId', 'accessKeySecret']);
    const login = await secretData(ctx, 'alice-login');
    expect(Object.keys(login).sort()).toEqual(['password', 'userPrincipalName']);
    expect(login.userPrincipalName).toBe('alice@2222222222222222.onaliyun.com');
    secrets.add(key.accessKeySecret!).add(login.password!);
    secrets.add(credentials.accessKeySecret).add(credentials.securityToken);
    expect(await publishToBus(ctx, credentials)).toBeTruthy();

    const cad = await getJson(ctx, 'cad', NAME);
    expect(cad.status.observedGeneration).toBe(cad.metadata.generation);
    expect(cad.status.roleArn).toBe('acs:ram::1111111111111111:role/orders-bus-publisher');
    const conditions = Object.fromEntries(cad.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toMatchObject({
      Ready: 'True',
      OwnerSynced: 'True',
      AuthorizedSynced: 'True',
      AccessVerified: 'True',
    });
    expect(conditions.Stalled).toBeUndefined();
    expect(await kube(ctx, ['get', 'cad'])).toMatch(
      /orders-bus-publisher\s+True\s+Reconciled\s+acs:ram::1111111111111111:role\/orders-bus-publisher/,
    );
  }, 90_000);

  it('applies an edit (a second custom policy, a new maxSessionDuration) and observes the new generation', async () => {
    const before = await getJson(ctx, 'cad', NAME);
    const patch = {
      spec: {
        role: { maxSessionDuration: 7200 },
        policies: [
          ...before.spec.policies,
          {
            custom: {
              name: 'orders-bus-read',
              document: {
                Version: '1',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['eventbridge:GetEventBus'],
                    Resource: ['acs:eventbridge:cn-hangzhou:1111111111111111:eventbus/orders'],
                  },
                ],
              },
            },
          },
        ],
      },
    };
    await kube(ctx, ['patch', 'cad', NAME, '--type=merge', '-p', JSON.stringify(patch)]);
    const generation = before.metadata.generation + 1;
    await eventually(
      async () => {
        const cad = await getJson(ctx, 'cad', NAME);
        const ready = cad.status.conditions.find((c: any) => c.type === 'Ready');
        return cad.status.observedGeneration === generation &&
          ready?.status === 'True' &&
          ready.observedGeneration === generation
          ? true
          : undefined;
      },
      30_000,
      `generation ${generation} Ready`,
    );
    const owner = await accountState(ctx, 'owner');
    const role = owner.roles.find((r: any) => r.roleName === NAME);
    expect(role.maxSessionDuration).toBe(7200);
    expect(role.attachedPolicies.map((p: any) => p.policyName).sort()).toEqual([
      'orders-bus-publish',
      'orders-bus-read',
    ]);
  }, 60_000);

  it('repairs drift within one resync and reports DriftCorrected in kubectl describe', async () => {
    const ram = createAccountPorts({
      accountId: env.info.owner.accountId,
      credentials: staticCredentials(env.info.owner),
      endpoints: {
        ram: env.info.emulatorUrl.replace('http://', ''),
        sts: env.info.emulatorUrl.replace('http://', ''),
        protocol: 'http',
      },
      limiter: UNLIMITED,
    }).ram;
    await ram.attachPolicyToRole({ policyName: 'AdministratorAccess', policyType: 'System' }, NAME);
    const madeAt = Date.now();
    await eventually(
      async () => {
        const policies = await ram.listPoliciesForRole(NAME);
        return policies.some((p) => p.policyName === 'AdministratorAccess') ? undefined : true;
      },
      (RESYNC_SECONDS * 1.1 + 5) * 1000,
      'the extra policy to be detached',
      100,
    );
    expect(Date.now() - madeAt).toBeLessThan((RESYNC_SECONDS * 1.1 + 5) * 1000);
    const described = await eventually(
      async () => {
        const text = await kube(ctx, ['describe', 'cad', NAME]);
        return /DriftCorrected/.test(text) ? text : undefined;
      },
      10_000,
      'a DriftCorrected event',
    );
    expect(described).toMatch(/Warning\s+DriftCorrected/);
  }, 60_000);

  it('stalls on credentials for the wrong account and recovers when the Secret is fixed, without a restart', async () => {
    const wrong = {
      accessKeyId: env.info.authorized.accessKeyId,
      accessKeySecret: env.info.authorized.accessKeySecret,
    };
    await kube(ctx, [
      'create',
      'secret',
      'generic',
      'wrong-a',
      `--from-literal=accessKeyId=${wrong.accessKeyId}`,
      `--from-literal=accessKeySecret=${wrong.accessKeySecret}`,
    ]);
    const manifest = exampleManifest()
      .replace('name: orders-bus-publisher\n  namespace', 'name: mismatch\n  namespace')
      .replace('name: orders-bus-publisher\n    description', 'name: mismatch-role\n    description')
      .replace('secretRef: {name: enterprise-a}', 'secretRef: {name: wrong-a}')
      .replace(/credentialsSecretName: orders-publisher-ak/, 'credentialsSecretName: mismatch-ak')
      .replace(/credentialsSecretName: alice-login/, 'credentialsSecretName: mismatch-login')
      .replace(/- name: orders-publisher\n/, '- name: mismatch-publisher\n')
      .replace(/- name: alice\n/, '- name: mismatch-alice\n')
      .replace('name: orders-bus-publish\n', 'name: mismatch-publish\n');
    await kube(ctx, ['apply', '-f', '-'], manifest);
    await kube(ctx, ['wait', '--for=condition=Stalled', 'cad/mismatch', '--timeout=30s']);
    const stalled = await getJson(ctx, 'cad', 'mismatch');
    expect(stalled.status.conditions.find((c: any) => c.type === 'Stalled').reason).toBe(
      'CredentialsAccountMismatch',
    );
    expect((await accountState(ctx, 'authorized')).roles).toEqual([]);

    const right = Buffer.from(env.info.owner.accessKeyId).toString('base64');
    const rightSecret = Buffer.from(env.info.owner.accessKeySecret).toString('base64');
    await kube(ctx, [
      'patch',
      'secret',
      'wrong-a',
      '--type=merge',
      '-p',
      JSON.stringify({ data: { accessKeyId: right, accessKeySecret: rightSecret } }),
    ]);
    await kube(ctx, ['wait', '--for=condition=Ready', 'cad/mismatch', '--timeout=30s']);
    await kube(ctx, ['delete', 'cad', 'mismatch', '--timeout=30s']);
  }, 90_000);

  it('revokes on delete: earlier STS credentials are refused within 2 s, and nothing is left', async () => {
    const credentials = await assumeRoleAsPublisher(ctx);
    secrets.add(credentials.accessKeySecret).add(credentials.securityToken);
    expect(await publishToBus(ctx, credentials)).toBeTruthy();

    const { refusedAfterMs, deleteExitCode } = await deleteAndTimeRefusal(ctx, credentials);
    expect(refusedAfterMs).toBeLessThan(2_000);
    expect(deleteExitCode).toBe(0);
    expect((await ctx.kubectl(['get', 'cad', NAME])).stderr).toMatch(/NotFound/);
    expect(await managedEntities(ctx)).toEqual([]);
    expect((await ctx.kubectl(['get', 'secret', 'orders-publisher-ak'])).stderr).toMatch(/NotFound/);
    expect((await ctx.kubectl(['get', 'secret', 'alice-login'])).stderr).toMatch(/NotFound/);
    const describedSecrets = await getJson(ctx, 'secret', 'enterprise-a');
    expect(describedSecrets.metadata.finalizers ?? []).toEqual([]);
  }, 60_000);

  it('exports its metrics and health endpoints', async () => {
    const started = JSON.parse(await operator.waitForLine(/operator started/)) as { healthPort: number };
    const base = `http://127.0.0.1:${started.healthPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'ram_delegation_reconcile_total',
      'ram_delegation_reconcile_duration_seconds',
      'ram_delegation_cloud_api_calls_total',
      'ram_delegation_workqueue_depth',
      'ram_delegation_workqueue_retries_total',
      'ram_delegation_delegations',
      'ram_delegation_drift_corrections_total',
      'ram_delegation_revocation_duration_seconds',
    ]) {
      expect(metrics, name).toContain(`# TYPE ${name} `);
    }
    expect(metrics).toMatch(
      /ram_delegation_cloud_api_calls_total\{[^}]*action="DetachPolicyFromRole"[^}]*code="OK"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/ram_delegation_drift_corrections_total\{side="owner"\} [1-9]/);
    expect(metrics).toMatch(/ram_delegation_revocation_duration_seconds_count [1-9]/);
    for (const secret of secrets)
      expect(metrics.includes(secret), 'a secret value appears in the metrics').toBe(false);
  });

  it('never logs a secret, token or password', () => {
    expect(operator.lines.length).toBeGreaterThan(10);
    const log = operator.lines.join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log.includes(secret), 'a secret value appears in the operator log').toBe(false);
    }
  });
});
