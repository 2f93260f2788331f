import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { RunningEmulator } from '@ram-delegation/alicloud-emulator';
import { startKubeApiServer, type RunningKubeApiServer } from '@ram-delegation/kube-apiserver';
import { applyInstall, renderInstall, serviceAccountName } from './operator-install.js';
import { operatorPaths } from './operator-paths.js';
import { SANDBOX_EVENT_BUS, startSandboxCloud, type SandboxAccount } from './sandbox-cloud.js';

export const SANDBOX_NAMESPACE = 'default';
/**
 * How long the operator's ServiceAccount token lives. A pod's token is refreshed by the kubelet; the
 * sandbox's operator reads its kubeconfig once, so the token outlives any sandbox session.
 */
const OPERATOR_TOKEN_SECONDS = 30 * 24 * 3600;

/** The contract of `<state-dir>/sandbox.json` (tools read it). */
export interface SandboxInfo {
  kubeconfig: string;
  emulatorUrl: string;
  namespace: string;
  owner: SandboxAccount;
  authorized: SandboxAccount;
  eventBus: { name: string; region: string; accountId: string };
  /**
   * Who the operator runs as: the ServiceAccount of the rendered Deployment (`<namespace>/<name>`), and
   * a kubeconfig holding a token of it. `kubeconfig` above is cluster-admin, for people and tests.
   */
  operator: { serviceAccount: string; kubeconfig: string };
}

export interface SandboxEnvironment {
  info: SandboxInfo;
  kubeApiServer: RunningKubeApiServer;
  emulator: RunningEmulator;
  stop(): Promise<void>;
}

/**
 * Starts the two local stand-ins and prepares the seed scenario: the Kubernetes API server with what
 * `deploy/` installs apart from the workload (the CrossAccountDelegation CRD, the operator's namespace,
 * ServiceAccount and RBAC: operator-install.ts), the Alibaba Cloud emulator with accounts A and B and
 * A's `orders` bus, and the credential Secrets `enterprise-a` and `enterprise-b`. Writes `kubeconfig`
 * (cluster-admin), `operator-kubeconfig` (the operator's ServiceAccount) and `sandbox.json` into
 * `stateDir`. The operator is started separately (see operator-process.ts).
 */
export async function startSandboxEnvironment(options: {
  stateDir: string;
  kubePort?: number;
  emulatorPort?: number;
  /** The kustomize directory to install from; default the repository's `deploy/`. */
  deployDir?: string;
}): Promise<SandboxEnvironment> {
  const stateDir = resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true });
  const kubeconfig = join(stateDir, 'kubeconfig');
  const kubeApiServer = await startKubeApiServer({ port: options.kubePort ?? 0, kubeconfigPath: kubeconfig });
  let emulator: RunningEmulator | undefined;
  try {
    const cloud = await startSandboxCloud({ port: options.emulatorPort ?? 0 });
    emulator = cloud.emulator;
    const { accounts } = cloud;

    const install = await renderInstall(options.deployDir ?? operatorPaths.deploy);
    await applyInstall(kubeconfig, install);
    const { namespace: operatorNamespace, name: operatorAccount } = install.serviceAccount;
    const operatorKubeconfig = join(stateDir, 'operator-kubeconfig');
    const { token } = kubeApiServer.createServiceAccountToken(operatorNamespace, operatorAccount, {
      expirationSeconds: OPERATOR_TOKEN_SECONDS,
    });
    await kubeApiServer.writeKubeconfig(operatorKubeconfig, token, operatorNamespace);

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
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
      operator: {
        serviceAccount: serviceAccountName(install.serviceAccount),
        kubeconfig: operatorKubeconfig,
      },
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
