import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { join, resolve } from 'node:path';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type RunningEmulator } from '@ram-delegation/alicloud-emulator';
import { startKubeApiServer, type RunningKubeApiServer } from '@ram-delegation/kube-apiserver';
import { parse } from 'yaml';
import { operatorPaths } from './operator-paths.js';

/** The seed scenario's two companies and A's event bus (README, examples/). */
export const SANDBOX_ACCOUNTS = {
  owner: { accountId: '1111111111111111', alias: 'enterprise-a', credentialsSecret: 'enterprise-a' },
  authorized: { accountId: '2222222222222222', alias: 'enterprise-b', credentialsSecret: 'enterprise-b' },
} as const;
export const SANDBOX_EVENT_BUS = {
  name: 'orders',
  region: 'cn-hangzhou',
  accountId: SANDBOX_ACCOUNTS.owner.accountId,
} as const;
export const SANDBOX_NAMESPACE = 'default';

export interface SandboxAccount {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  credentialsSecret: string;
}

/** The contract of `<state-dir>/sandbox.json` (tools read it). */
export interface SandboxInfo {
  kubeconfig: string;
  emulatorUrl: string;
  namespace: string;
  owner: SandboxAccount;
  authorized: SandboxAccount;
  eventBus: { name: string; region: string; accountId: string };
}

export interface SandboxEnvironment {
  info: SandboxInfo;
  kubeApiServer: RunningKubeApiServer;
  emulator: RunningEmulator;
  stop(): Promise<void>;
}

async function admin(url: string, path: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`emulator admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

/**
 * Creates the CRD with a raw request. client-node's typed `createCustomResourceDefinition` runs the body
 * through its model serializer, which expects model-shaped objects (`_default`, `xKubernetesValidations`)
 * and silently drops the wire names (`default`, `enum`, `x-kubernetes-validations`) of a plain manifest.
 */
async function createCrd(kc: KubeConfig, crd: object): Promise<void> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no cluster');
  const url = new URL('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', server);
  const options: RequestOptions = { method: 'POST', headers: { 'content-type': 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const body = JSON.stringify(crd);
  await new Promise<void>((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        (res.statusCode ?? 0) < 300
          ? resolve()
          : reject(new Error(`creating the CRD failed: ${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitForCrd(api: ApiextensionsV1Api, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await api.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} was not established within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts the two local stand-ins and prepares the seed scenario: the Kubernetes API server with the
 * CrossAccountDelegation CRD, the Alibaba Cloud emulator with accounts A and B and A's `orders` bus,
 * and the credential Secrets `enterprise-a` and `enterprise-b`. Writes `kubeconfig` and `sandbox.json`
 * into `stateDir`. The operator is started separately (see operator-process.ts).
 */
export async function startSandboxEnvironment(options: {
  stateDir: string;
  kubePort?: number;
  emulatorPort?: number;
}): Promise<SandboxEnvironment> {
  const stateDir = resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true });
  const kubeconfig = join(stateDir, 'kubeconfig');
  const kubeApiServer = await startKubeApiServer({ port: options.kubePort ?? 0, kubeconfigPath: kubeconfig });
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startEmulator({ port: options.emulatorPort ?? 0 });
    const accounts = {} as Record<'owner' | 'authorized', SandboxAccount>;
    for (const side of ['owner', 'authorized'] as const) {
      const { accountId, alias, credentialsSecret } = SANDBOX_ACCOUNTS[side];
      const key = await admin(emulator.url, '/_emulator/accounts', { accountId, alias });
      accounts[side] = {
        accountId,
        accessKeyId: key.accessKeyId ?? '',
        accessKeySecret: key.accessKeySecret ?? '',
        credentialsSecret,
      };
    }
    await admin(emulator.url, `/_emulator/accounts/${SANDBOX_EVENT_BUS.accountId}/eventbuses`, {
      name: SANDBOX_EVENT_BUS.name,
      region: SANDBOX_EVENT_BUS.region,
    });

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    const crd = parse(await readFile(operatorPaths.crd, 'utf8')) as { metadata: { name: string } };
    await createCrd(kc, crd);
    await waitForCrd(extensions, crd.metadata.name);
    const core = kc.makeApiClient(CoreV1Api);
    for (const account of Object.values(accounts)) {
      await core.createNamespacedSecret({
        namespace: SANDBOX_NAMESPACE,
        body: {
          metadata: {
            name: account.credentialsSecret,
            labels: { 'app.kubernetes.io/part-of': 'ram-delegation-sandbox' },
          },
          type: 'Opaque',
          stringData: { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret },
        },
      });
    }
    const info: SandboxInfo = {
      kubeconfig,
      emulatorUrl: emulator.url,
      namespace: SANDBOX_NAMESPACE,
      owner: accounts.owner,
      authorized: accounts.authorized,
      eventBus: { ...SANDBOX_EVENT_BUS },
    };
    await writeFile(join(stateDir, 'sandbox.json'), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    const running = emulator;
    return {
      info,
      kubeApiServer,
      emulator: running,
      stop: async () => {
        await Promise.all([running.stop(), kubeApiServer.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([emulator?.stop(), kubeApiServer.stop()]);
    throw error;
  }
}
