/**
 * Issue 6 acceptance, high availability: two operator processes elect one leader through a Lease; only
 * the leader reconciles, and after `kill -9` of the leader the other takes over within the lease
 * duration plus 5 s.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { spawnOperator, type OperatorProcess } from '@ram-delegation/sandbox';
import {
  eventually,
  exampleManifest,
  getJson,
  kube,
  NAME,
  type ScenarioContext,
} from './delegation-scenario.js';
import { kubectlFor } from '@ram-delegation/kube-apiserver';

const LEASE_DURATION_MS = 15_000;

let env: SandboxEnvironment;
let ctx: ScenarioContext;
const operators: OperatorProcess[] = [];

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-ha-')) });
  ctx = { kubectl: kubectlFor(env.kubeApiServer), sandbox: env.info };
  for (const identity of ['replica-a', 'replica-b']) {
    operators.push(
      spawnOperator({
        sandbox: env.info,
        leaderElect: true,
        identity,
      }),
    );
  }
  await Promise.all(operators.map((o) => o.waitForLine(/operator started/)));
}, 60_000);

afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop('SIGKILL')));
  await env?.stop();
});

const leads = (o: OperatorProcess) => o.lines.some((l) => l.includes('started leading'));
const reconciled = (o: OperatorProcess) => o.lines.some((l) => l.includes('"applied changes"'));

describe('leader election', () => {
  it('lets only the leader reconcile, and hands over after kill -9 within the lease duration plus 5 s', async () => {
    const leader = await eventually(async () => operators.find(leads), 20_000, 'a leader');
    const follower = operators.find((o) => o !== leader)!;
    expect(leads(follower)).toBe(false);

    await kube(ctx, ['apply', '-f', '-'], exampleManifest());
    await kube(ctx, ['wait', '--for=condition=Ready', `cad/${NAME}`, '--timeout=60s']);
    expect(reconciled(leader)).toBe(true);
    expect(reconciled(follower)).toBe(false);
    // In the operator's own namespace, as in a pod (POD_NAMESPACE), where deploy/ grants Leases.
    const leaseNamespace = env.info.operator.serviceAccount.split('/')[0]!;
    const lease = await getJson(ctx, 'lease', 'ram-delegation-operator', '-n', leaseNamespace);
    expect(lease.spec.holderIdentity).toBe(leader === operators[0] ? 'replica-a' : 'replica-b');

    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await follower.waitForLine(/started leading/, LEASE_DURATION_MS + 5_000);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_DURATION_MS + 5_000);

    // The new leader works: an edit is reconciled by it.
    await kube(ctx, [
      'patch',
      'cad',
      NAME,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { role: { maxSessionDuration: 7200 } } }),
    ]);
    await eventually(
      async () => {
        const cad = await getJson(ctx, 'cad', NAME);
        return cad.status.observedGeneration === cad.metadata.generation &&
          cad.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True')
          ? true
          : undefined;
      },
      30_000,
      'the new leader to reconcile the edit',
    );
    expect(reconciled(follower)).toBe(true);

    // SIGTERM: finish in-flight work, release the lease, exit 0.
    expect(await follower.stop('SIGTERM')).toBe(0);
    const released = await getJson(ctx, 'lease', 'ram-delegation-operator', '-n', leaseNamespace);
    expect(released.spec.holderIdentity ?? '').toBe('');
  }, 90_000);
});
