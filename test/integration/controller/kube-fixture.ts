import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { API_GROUP_VERSION, KIND } from '../../../src/api/constants.js';
import {
  createKubeClients,
  delegationResource,
  loadKubeConfig,
  type KubeClients,
} from '../../../src/controller/kube-clients.js';
import {
  startKubeApiServer,
  type KubeApiServerOptions,
  type RunningKubeApiServer,
} from '@ram-delegation/kube-apiserver';

const root = join(import.meta.dirname, '..', '..', '..');

export interface KubeFixture extends KubeClients {
  /** Every request the server answered: `METHOD path status`. */
  requests: string[];
  kubeconfigPath: string;
  server: RunningKubeApiServer;
  stop(): Promise<void>;
}

/** The project's API server with the CrossAccountDelegation CRD installed, and clients built from its kubeconfig. */
export async function startKube(options: Partial<KubeApiServerOptions> = {}): Promise<KubeFixture> {
  const requests: string[] = [];
  const server = await startKubeApiServer({
    port: 0,
    ...options,
    onRequest: (method, path, status) => requests.push(`${method} ${path} ${status}`),
  });
  const clients = createKubeClients(loadKubeConfig(server.kubeconfigPath));
  const crd = parse(
    readFileSync(join(root, 'crds', 'crossaccountdelegations.ram-delegation.dev.yaml'), 'utf8'),
  ) as V1CustomResourceDefinition;
  await clients.kubeConfig.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({ body: crd });
  await eventually(async () => {
    await clients.customObjects.listClusterCustomObject(delegationResource);
  });
  return { ...clients, requests, kubeconfigPath: server.kubeconfigPath, server, stop: () => server.stop() };
}

/** A valid delegation manifest (the minimal example) under another name. */
export function delegationManifest(
  name: string,
  namespace = 'default',
): KubernetesObject & { spec: Record<string, any> } {
  const example = parse(readFileSync(join(root, 'examples', 'minimal.yaml'), 'utf8')) as {
    spec: Record<string, any>;
  };
  return { apiVersion: API_GROUP_VERSION, kind: KIND, metadata: { name, namespace }, spec: example.spec };
}

export async function createDelegation(
  kube: KubeClients,
  name: string,
  namespace = 'default',
): Promise<KubernetesObject> {
  return (await kube.customObjects.createNamespacedCustomObject({
    ...delegationResource,
    namespace,
    body: delegationManifest(name, namespace),
  })) as KubernetesObject;
}

export async function getDelegation(
  kube: KubeClients,
  name: string,
  namespace = 'default',
): Promise<KubernetesObject & { status?: any; spec?: any }> {
  return (await kube.customObjects.getNamespacedCustomObject({
    ...delegationResource,
    namespace,
    name,
  })) as KubernetesObject;
}

/** Retries `check` until it stops throwing (or the deadline passes, rethrowing the last failure). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
