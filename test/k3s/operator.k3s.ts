/**
 * The operator's end-to-end scenario on a real Kubernetes (k3s in Docker): the image built from the
 * Dockerfile, `deploy/` installed with it, the operator inside the cluster as its own ServiceAccount,
 * two replicas with leader election, and the leader killed once. The steps are those of
 * test/e2e/delegation-scenario.ts. Run with `npm run test:k3s` (scripts/test-k3s.sh), which says it
 * did not run when there is no Docker engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_EVENT_BUS,
  SANDBOX_NAMESPACE,
  startSandboxCloud,
  type SandboxCloud,
  type SandboxInfo,
} from '@ram-delegation/sandbox';
import {
  applySeedUntilReady,
  assumeRoleAsPublisher,
  deleteAndTimeRefusal,
  eventually,
  getJson,
  kube,
  managedEntities,
  NAME,
  publishToBus,
  type ScenarioContext,
} from '../e2e/delegation-scenario.js';
import { canIWith, DELEGATIONS } from '../e2e/operator-identity.js';
import { kubectlFor } from '@ram-delegation/kube-apiserver';
import {
  buildOperatorImage,
  operatorOverlay,
  OPERATOR_DEPLOYMENT,
  OPERATOR_NAMESPACE,
  serviceAccountKubeconfig,
  startK3s,
  type K3sCluster,
} from './k3s-cluster.js';

const SERVICE_ACCOUNT = 'ram-delegation-operator';
const LEASE_DURATION_MS = 15_000;

let cloud: SandboxCloud | undefined;
let cluster: K3sCluster | undefined;
let ctx: ScenarioContext;

const lease = async () => getJson(ctx, 'lease', OPERATOR_DEPLOYMENT, '-n', OPERATOR_NAMESPACE);
const readyGeneration = async () => {
  const cad = await getJson(ctx, 'cad', NAME);
  const ready = cad.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
  return ready && cad.status.observedGeneration === cad.metadata.generation ? true : undefined;
};

beforeAll(async () => {
  await buildOperatorImage();
  cloud = await startSandboxCloud();
  cluster = await startK3s(Number(new URL(cloud.emulator.url).port));
  const { owner, authorized } = cloud.accounts;
  const sandbox: SandboxInfo = {
    kubeconfig: cluster.kubeconfig,
    emulatorUrl: cloud.emulator.url,
    namespace: SANDBOX_NAMESPACE,
    owner,
    authorized,
    eventBus: { ...SANDBOX_EVENT_BUS },
    // The kubeconfig is filled in once deploy/ has created the ServiceAccount.
    operator: { serviceAccount: `${OPERATOR_NAMESPACE}/${SERVICE_ACCOUNT}`, kubeconfig: '' },
  };
  ctx = { kubectl: cluster.kubectl, sandbox };

  for (const side of [owner, authorized]) {
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
  await kube(ctx, ['apply', '-k', operatorOverlay(cluster.emulatorEndpoint)]);
  await kube(ctx, [
    'rollout',
    'status',
    `deployment/${OPERATOR_DEPLOYMENT}`,
    '-n',
    OPERATOR_NAMESPACE,
    '--timeout=240s',
  ]);
  sandbox.operator.kubeconfig = await serviceAccountKubeconfig(cluster, OPERATOR_NAMESPACE, SERVICE_ACCOUNT);
});

afterAll(async () => {
  await cluster?.stop();
  await cloud?.emulator.stop();
});

describe('the operator inside k3s', () => {
  it('runs two replicas as its own ServiceAccount, one of them leading', async () => {
    const deployment = await getJson(ctx, 'deployment', OPERATOR_DEPLOYMENT, '-n', OPERATOR_NAMESPACE);
    expect(deployment.status.readyReplicas).toBe(2);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(SERVICE_ACCOUNT);
    const holder = await eventually(
      async () => (await lease()).spec.holderIdentity || undefined,
      60_000,
      'a leader',
    );
    const pods = await getJson(
      ctx,
      'pods',
      '-n',
      OPERATOR_NAMESPACE,
      '-l',
      'app.kubernetes.io/name=ram-delegation-operator',
    );
    expect(pods.items.map((p: any) => p.metadata.name)).toContain(holder);

    // What deploy/ grants, checked by the real API server's RBAC.
    const canI = canIWith(kubectlFor({ kubeconfigPath: ctx.sandbox.operator.kubeconfig }));
    expect(await canI('patch', DELEGATIONS, '--subresource=status', '-n', 'default')).toBe('yes');
    expect(await canI('delete', 'namespaces')).toBe('no');
    expect(await canI('get', 'configmaps', '-n', 'default')).toBe('no');
    expect(await canI('update', DELEGATIONS, '-n', 'default')).toBe('no');
  });

  it('applies the seed example to Ready; B’s user assumes the role and publishes to A’s bus', async () => {
    const { key, credentials } = await applySeedUntilReady(ctx, '120s');
    expect(Object.keys(key).sort()).toEqual(['accessKeyId', 'accessKeySecret']);
    expect(await publishToBus(ctx, credentials)).toBeTruthy();
  });

  it('survives the leader’s death: the other replica takes the Lease and reconciles an edit', async () => {
    const killed = (await lease()).spec.holderIdentity as string;
    const killedAt = Date.now();
    await kube(ctx, ['delete', 'pod', killed, '-n', OPERATOR_NAMESPACE, '--grace-period=0', '--force']);
    const next = await eventually(
      async () => {
        const holder = (await lease()).spec.holderIdentity;
        return holder && holder !== killed ? (holder as string) : undefined;
      },
      LEASE_DURATION_MS + 30_000,
      'another replica to take the Lease',
    );
    expect(next).not.toBe(killed);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_DURATION_MS + 30_000);

    await kube(ctx, [
      'patch',
      'cad',
      NAME,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { role: { maxSessionDuration: 7200 } } }),
    ]);
    await eventually(readyGeneration, 60_000, 'the new leader to reconcile the edit');
  });

  it('revokes on delete: earlier STS credentials are refused and nothing is left', async () => {
    const credentials = await assumeRoleAsPublisher(ctx);
    const { refusedAfterMs, deleteExitCode } = await deleteAndTimeRefusal(ctx, credentials, 20_000);
    expect(refusedAfterMs).toBeLessThan(5_000);
    expect(deleteExitCode).toBe(0);
    expect(await managedEntities(ctx)).toEqual([]);
  });
});
