/**
 * A real Kubernetes for `npm run test:k3s`: k3s in Docker (@testcontainers/k3s) with the operator's
 * image built from the repository's Dockerfile and imported into k3s's containerd, and `deploy/`
 * installed with that image, so the operator runs inside the cluster as its own ServiceAccount, two
 * replicas with leader election. The Alibaba Cloud emulator runs on the host; pods reach it through
 * testcontainers' host port forwarding.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { GenericContainer, TestContainers, getContainerRuntimeClient } from 'testcontainers';
import { parse, stringify } from 'yaml';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';

export const K3S_IMAGE = 'rancher/k3s:v1.31.2-k3s1';
/** The tag the test builds; `imagePullPolicy: Never`, so k3s runs exactly the imported image. */
export const OPERATOR_IMAGE = 'ram-delegation-operator:k3s-e2e';
export const OPERATOR_NAMESPACE = 'ram-delegation-system';
export const OPERATOR_DEPLOYMENT = 'ram-delegation-operator';
const ROOT = join(import.meta.dirname, '..', '..');
/** The image reference deploy/base/kustomization.yaml renders, which the overlay replaces. */
const RENDERED_IMAGE = 'registry.example.com/ram-delegation-operator';

export interface K3sCluster {
  container: StartedK3sContainer;
  /** Cluster-admin, for the test's own kubectl. */
  kubeconfig: string;
  kubectl: Kubectl;
  /** `host:port` of the host's emulator as pods reach it. */
  emulatorEndpoint: string;
  stop(): Promise<void>;
}

async function run(cluster: StartedK3sContainer, command: string[]): Promise<string> {
  const result = await cluster.exec(command);
  if (result.exitCode !== 0)
    throw new Error(`${command.join(' ')} in k3s failed (${result.exitCode}): ${result.output}`);
  return result.stdout;
}

/** Builds the operator's image from the Dockerfile (the same image a user builds). */
export async function buildOperatorImage(): Promise<void> {
  await GenericContainer.fromDockerfile(ROOT).build(OPERATOR_IMAGE, { deleteOnExit: false });
}

/**
 * Starts k3s with the host's `emulatorPort` reachable from its pods, and the operator's image (built by
 * {@link buildOperatorImage}) imported into its containerd: `docker save`, then `ctr images import`.
 */
export async function startK3s(emulatorPort: number): Promise<K3sCluster> {
  // Before the container starts, so that it gets host.testcontainers.internal in /etc/hosts.
  await TestContainers.exposeHostPorts(emulatorPort);
  const container = await new K3sContainer(K3S_IMAGE).start();
  try {
    const runtime = await getContainerRuntimeClient();
    const image = (await runtime.container.dockerode.getImage(OPERATOR_IMAGE).get()) as Readable;
    await container.copyContentToContainer([{ content: image, target: '/tmp/operator-image.tar' }]);
    await run(container, ['k3s', 'ctr', '-n', 'k8s.io', 'images', 'import', '/tmp/operator-image.tar']);
    // Pods do not share the node's /etc/hosts: give them the forwarder's address itself.
    const hosts = await run(container, ['cat', '/etc/hosts']);
    const line = hosts.split('\n').find((l) => /\shost\.testcontainers\.internal(\s|$)/.test(l));
    const hostAddress = line?.trim().split(/\s+/)[0];
    if (!hostAddress) throw new Error(`k3s has no host.testcontainers.internal in /etc/hosts:\n${hosts}`);

    const dir = mkdtempSync(join(tmpdir(), 'ram-delegation-k3s-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, container.getKubeConfig(), { mode: 0o600 });
    return {
      container,
      kubeconfig,
      kubectl: kubectlFor({ kubeconfigPath: kubeconfig }),
      emulatorEndpoint: `${hostAddress}:${emulatorPort}`,
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    await container.stop();
    throw error;
  }
}

/**
 * A kustomize overlay of `deploy/` as a user would write one: the image (the one `images:` entry),
 * `imagePullPolicy: Never`, and the flags that point the operator at the emulator with test-sized
 * lease and resync periods. Returns its directory.
 */
export function operatorOverlay(emulatorEndpoint: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ram-delegation-k3s-overlay-')), 'overlay');
  mkdirSync(dir);
  const [name, tag] = OPERATOR_IMAGE.split(':') as [string, string];
  const args = [
    `--ram-endpoint=${emulatorEndpoint}`,
    `--sts-endpoint=${emulatorEndpoint}`,
    '--alicloud-protocol=http',
    '--resync-period=30s',
    '--lease-duration=15s',
    '--renew-deadline=10s',
    '--retry-period=2s',
    '--account-qps=200',
    '--account-burst=100',
  ];
  const container = '/spec/template/spec/containers/0';
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(dir, join(ROOT, 'deploy'))],
    images: [{ name: RENDERED_IMAGE, newName: name, newTag: tag }],
    patches: [
      {
        target: { kind: 'Deployment', name: OPERATOR_DEPLOYMENT },
        patch: JSON.stringify([
          { op: 'add', path: `${container}/imagePullPolicy`, value: 'Never' },
          ...args.map((value) => ({ op: 'add', path: `${container}/args/-`, value })),
        ]),
      },
    ],
  };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
  return dir;
}

/**
 * A kubeconfig for the operator's ServiceAccount (a token from `kubectl create token`), so a test can
 * act as the operator does inside its pods.
 */
export async function serviceAccountKubeconfig(cluster: K3sCluster, namespace: string, name: string) {
  const token = await cluster.kubectl(['create', 'token', name, '-n', namespace, '--duration=2h']);
  if (token.code !== 0) throw new Error(`kubectl create token: ${token.stderr}`);
  const config = parse(readFileSync(cluster.kubeconfig, 'utf8')) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  for (const user of config.users) user.user = { token: token.stdout.trim() };
  const path = join(mkdtempSync(join(tmpdir(), 'ram-delegation-k3s-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
