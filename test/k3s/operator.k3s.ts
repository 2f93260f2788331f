/**
 * The operator's end-to-end scenario against a real Kubernetes (k3s in Docker via
 * @testcontainers/k3s), with the emulator and the operator on the host. The steps are the ones of
 * test/e2e/delegation-scenario.ts, reused. Run with `npm run test:k3s` (scripts/test-k3s.sh), which
 * checks for a Docker engine first; @testcontainers/k3s is not a dependency:
 * `npm install --no-save @testcontainers/k3s@11`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCOUNTS,
  SANDBOX_EVENT_BUS,
  SANDBOX_NAMESPACE,
  type SandboxInfo,
} from '@ram-delegation/sandbox';
import { startEmulator, type RunningEmulator } from '@ram-delegation/alicloud-emulator';
import { spawnOperator, type OperatorProcess } from '@ram-delegation/sandbox';
import {
  applySeedUntilReady,
  assumeRoleAsPublisher,
  deleteAndTimeRefusal,
  getJson,
  kube,
  managedEntities,
  NAME,
  publishToBus,
  type ScenarioContext,
} from '../e2e/delegation-scenario.js';
import { kubectlFor } from '@ram-delegation/kube-apiserver';

const K3S_IMAGE = 'rancher/k3s:v1.31.2-k3s1';
/** A variable, so TypeScript does not demand the optional package at compile time. */
const K3S_MODULE = '@testcontainers/k3s';

let container: { getKubeConfig(): string; stop(): Promise<unknown> } | undefined;
let emulator: RunningEmulator;
let operator: OperatorProcess | undefined;
let ctx: ScenarioContext;

async function admin(path: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`emulator admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

beforeAll(async () => {
  const k3s = await import(K3S_MODULE).catch(() => {
    throw new Error('@testcontainers/k3s is missing: npm install --no-save @testcontainers/k3s@11');
  });
  container = await new k3s.K3sContainer(K3S_IMAGE).start();
  const dir = mkdtempSync(join(tmpdir(), 'ram-delegation-k3s-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, container!.getKubeConfig(), { mode: 0o600 });

  emulator = await startEmulator({ port: 0 });
  const keys: Record<string, Record<string, string>> = {};
  for (const side of ['owner', 'authorized'] as const) {
    const { accountId, alias } = SANDBOX_ACCOUNTS[side];
    keys[side] = await admin('/_emulator/accounts', { accountId, alias });
  }
  await admin(`/_emulator/accounts/${SANDBOX_EVENT_BUS.accountId}/eventbuses`, {
    name: SANDBOX_EVENT_BUS.name,
    region: SANDBOX_EVENT_BUS.region,
  });
  const account = (side: 'owner' | 'authorized') => ({
    accountId: SANDBOX_ACCOUNTS[side].accountId,
    accessKeyId: keys[side]!.accessKeyId!,
    accessKeySecret: keys[side]!.accessKeySecret!,
    credentialsSecret: SANDBOX_ACCOUNTS[side].credentialsSecret,
  });
  const sandbox: SandboxInfo = {
    kubeconfig,
    emulatorUrl: emulator.url,
    namespace: SANDBOX_NAMESPACE,
    owner: account('owner'),
    authorized: account('authorized'),
    eventBus: { ...SANDBOX_EVENT_BUS },
  };
  ctx = { kubectl: kubectlFor({ kubeconfigPath: kubeconfig }), sandbox };

  await kube(ctx, ['apply', '-f', join(import.meta.dirname, '..', '..', 'crds')]);
  await kube(ctx, [
    'wait',
    '--for=condition=Established',
    'crd/crossaccountdelegations.ram-delegation.dev',
    '--timeout=60s',
  ]);
  for (const side of [sandbox.owner, sandbox.authorized]) {
    await kube(ctx, [
      'create',
      'secret',
      'generic',
      side.credentialsSecret,
      '-n',
      SANDBOX_NAMESPACE,
      `--from-literal=accessKeyId=${side.accessKeyId}`,
      `--from-literal=accessKeySecret=${side.accessKeySecret}`,
    ]);
  }
  operator = spawnOperator({ kubeconfig, emulatorUrl: emulator.url, resyncSeconds: 30 });
  await operator.waitForLine(/operator started/, 60_000);
});

afterAll(async () => {
  await operator?.stop();
  await emulator?.stop();
  await container?.stop();
});

describe('the operator against k3s', () => {
  it('applies the seed example to Ready; B’s user assumes the role and publishes to A’s bus', async () => {
    const { key, credentials } = await applySeedUntilReady(ctx, '120s');
    expect(Object.keys(key).sort()).toEqual(['accessKeyId', 'accessKeySecret']);
    expect(await publishToBus(ctx, credentials)).toBeTruthy();
    const cad = await getJson(ctx, 'cad', NAME);
    expect(cad.status.observedGeneration).toBe(cad.metadata.generation);
  });

  it('revokes on delete: earlier STS credentials are refused and nothing is left', async () => {
    const credentials = await assumeRoleAsPublisher(ctx);
    const { refusedAfterMs, deleteExitCode } = await deleteAndTimeRefusal(ctx, credentials, 20_000);
    expect(refusedAfterMs).toBeLessThan(5_000);
    expect(deleteExitCode).toBe(0);
    expect(await managedEntities(ctx)).toEqual([]);
  });
});
