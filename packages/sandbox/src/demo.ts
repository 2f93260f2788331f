import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { assumeRole, endpointOf, isRefusal, publishEvent } from './data-plane.js';
import { startSandboxEnvironment, type SandboxEnvironment } from './environment.js';
import { managedEntities } from './leftovers.js';
import { operatorPaths } from './operator-paths.js';
import { spawnOperator, type OperatorProcess } from './operator-process.js';

/** One fact the demo established (or failed to). */
export interface DemoStep {
  step: string;
  ok: boolean;
  detail: string;
  ms?: number;
}

export interface DemoReport {
  ok: boolean;
  delegation: string;
  readyAfterMs?: number;
  roleArn?: string;
  eventId?: string;
  refusedAfterDeleteMs?: number;
  leftovers?: string[];
  steps: DemoStep[];
}

/** The parts of the objects the demo reads. */
interface DelegationView {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; roleArn?: string; conditions?: { type: string; status: string }[] };
}

const resource = { group: 'ram-delegation.dev', version: 'v1alpha1', plural: 'crossaccountdelegations' };

async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The seed scenario on a fresh sandbox: apply the example, wait for Ready, let B's user assume the role
 * and publish to A's bus, delete the delegation, and prove the credentials issued before stop working
 * and that nothing is left in either account. `onStep` reports progress as it happens.
 */
export async function runDemo(onStep: (step: DemoStep) => void = () => {}): Promise<DemoReport> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ram-delegation-demo-'));
  const manifest = parse(await readFile(operatorPaths.example, 'utf8')) as {
    metadata: { name: string; namespace: string };
  };
  const { name, namespace } = manifest.metadata;
  const report: DemoReport = { ok: false, delegation: `${namespace}/${name}`, steps: [] };
  const record = (step: DemoStep) => {
    report.steps.push(step);
    onStep(step);
  };
  let env: SandboxEnvironment | undefined;
  let operator: OperatorProcess | undefined;
  try {
    env = await startSandboxEnvironment({ stateDir });
    operator = spawnOperator({
      sandbox: env.info,
      clusterName: 'demo',
    });
    await operator.waitForLine(/operator started/);
    record({
      step: 'sandbox',
      ok: true,
      detail: `API server ${env.kubeApiServer.url}, emulator ${env.info.emulatorUrl}, operator running`,
    });

    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfig);
    const objects = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const target = { ...endpointOf(env.info.emulatorUrl), busName: env.info.eventBus.name };

    const appliedAt = Date.now();
    await objects.createNamespacedCustomObject({ ...resource, namespace, body: manifest });
    record({
      step: 'applied',
      ok: true,
      detail: `CrossAccountDelegation ${namespace}/${name} from examples/eventbridge-publisher.yaml`,
    });
    const ready = await until(
      async () => {
        const cad = (await objects.getNamespacedCustomObject({
          ...resource,
          namespace,
          name,
        })) as DelegationView;
        const condition = cad.status?.conditions?.find((c) => c.type === 'Ready');
        return condition?.status === 'True' && cad.status?.observedGeneration === cad.metadata.generation
          ? cad
          : undefined;
      },
      60_000,
      'Ready',
    );
    report.readyAfterMs = Date.now() - appliedAt;
    report.roleArn = ready.status?.roleArn;
    record({
      step: 'ready',
      ok: true,
      ms: report.readyAfterMs,
      detail: `Ready after ${report.readyAfterMs} ms: role ${report.roleArn} in A, users and the scoped grant in B`,
    });

    const secret = await core.readNamespacedSecret({ namespace, name: 'orders-publisher-ak' });
    const decode = (key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    const key = { accessKeyId: decode('accessKeyId'), accessKeySecret: decode('accessKeySecret') };
    const credentials = await assumeRole(target, key, report.roleArn ?? '', { sessionName: 'demo' });
    record({
      step: 'assumed',
      ok: true,
      detail: `B's user orders-publisher assumed the role: STS credentials until ${credentials.expiration}`,
    });

    report.eventId = await publishEvent(target, credentials, {
      id: `demo-${Date.now()}`,
      source: 'enterprise-b',
      type: 'orders.created',
      data: { orderId: 42 },
    });
    const events = (await (
      await fetch(
        `${env.info.emulatorUrl}/_emulator/accounts/${env.info.owner.accountId}/eventbuses/${env.info.eventBus.name}/events`,
      )
    ).json()) as { events: unknown[] };
    record({
      step: 'published',
      ok: events.events.length > 0,
      detail: `an event reached A's bus ${env.info.eventBus.name} (${events.events.length} on the bus)`,
    });

    const deletedAt = Date.now();
    await objects.deleteNamespacedCustomObject({ ...resource, namespace, name });
    record({ step: 'deleted', ok: true, detail: `deleted CrossAccountDelegation ${namespace}/${name}` });
    report.refusedAfterDeleteMs = await until(
      () =>
        publishEvent(target, credentials, {
          id: `demo-late-${Date.now()}`,
          source: 'enterprise-b',
          type: 'orders.created',
          data: {},
        }).then(
          () => undefined,
          (error: unknown) => (isRefusal(error) ? Date.now() - deletedAt : undefined),
        ),
      30_000,
      'refusal of the old credentials',
    );
    record({
      step: 'refused',
      ok: true,
      ms: report.refusedAfterDeleteMs,
      detail: `the credentials issued before were refused ${report.refusedAfterDeleteMs} ms after the delete`,
    });

    await until(
      () =>
        objects.getNamespacedCustomObject({ ...resource, namespace, name }).then(
          () => undefined,
          () => true,
        ),
      30_000,
      'the delegation to be gone',
    );
    report.leftovers = await managedEntities(env.info.emulatorUrl, [
      env.info.owner.accountId,
      env.info.authorized.accountId,
    ]);
    const secretsLeft = (
      await core.listNamespacedSecret({
        namespace,
        labelSelector: 'app.kubernetes.io/managed-by=ram-delegation-operator',
      })
    ).items.length;
    record({
      step: 'clean',
      ok: report.leftovers.length === 0 && secretsLeft === 0,
      detail:
        report.leftovers.length === 0 && secretsLeft === 0
          ? 'nothing left in either account, and the user Secrets are gone'
          : `left behind: ${[...report.leftovers, `${secretsLeft} Secret(s)`].join(', ')}`,
    });
    report.ok = report.steps.every((s) => s.ok);
  } catch (error) {
    record({ step: 'failed', ok: false, detail: error instanceof Error ? error.message : String(error) });
    report.ok = false;
  } finally {
    await operator?.stop();
    await env?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
  return report;
}
