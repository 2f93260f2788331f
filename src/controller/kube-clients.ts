import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  PatchStrategy,
  V1MicroTime,
  setHeaderOptions,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL } from '../api/constants.js';

/**
 * The Kubernetes API objects the operator's runtime talks through, all built from one kubeconfig.
 *
 * Patch caveat (client-node 1.x): `CustomObjectsApi.patch*` and `CoreV1Api.patch*` pick
 * `application/json-patch+json` unless told otherwise, and `KubernetesObjectApi.patch` picks strategic
 * merge, which a real API server refuses (415) for custom resources. Every patch in this code base
 * therefore passes {@link mergePatch} or {@link jsonPatch} as the call's options.
 */
export interface KubeClients {
  kubeConfig: KubeConfig;
  customObjects: CustomObjectsApi;
  core: CoreV1Api;
  events: EventsV1Api;
  coordination: CoordinationV1Api;
}

/**
 * Loads a kubeconfig: from `path` when given, otherwise the in-cluster service account (the pod's
 * token and CA). client-node refuses plain `http://` servers unless the kubeconfig's cluster sets
 * `insecure-skip-tls-verify`.
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromCluster();
  return reuseConnections(kubeConfig);
}

type AgentFactory = (cluster: unknown, options: Record<string, unknown>) => Agent;

/**
 * Makes every request built from `kubeConfig` share keep-alive connections. client-node 1.x creates a
 * new `https.Agent` for every request (its private `createAgent`), so each request pays a TLS handshake
 * and holds a TLS context in native memory until a garbage collection happens to free it; under load
 * that alone grew the operator by hundreds of MiB. Here the agent is created once per distinct TLS
 * setting (CA, client certificate and key, server name), with keep-alive, and reused.
 */
function reuseConnections(kubeConfig: KubeConfig): KubeConfig {
  const target = kubeConfig as unknown as { createAgent: AgentFactory };
  const create = target.createAgent.bind(kubeConfig);
  const agents = new Map<string, Agent>();
  target.createAgent = (cluster, options) => {
    const setting = ['ca', 'cert', 'key', 'pfx', 'servername', 'rejectUnauthorized']
      .map((field) => {
        const value: unknown = options[field];
        if (value === undefined || value === null) return '';
        return typeof value === 'string' || Buffer.isBuffer(value) ? value.toString() : JSON.stringify(value);
      })
      .join('\u0000');
    const id = createHash('sha256').update(setting).digest('hex');
    let agent = agents.get(id);
    if (!agent) {
      agent = create(cluster, { ...options, keepAlive: true });
      agents.set(id, agent);
    }
    return agent;
  };
  return kubeConfig;
}

export function createKubeClients(kubeConfig: KubeConfig): KubeClients {
  return {
    kubeConfig,
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    core: kubeConfig.makeApiClient(CoreV1Api),
    events: kubeConfig.makeApiClient(EventsV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
  };
}

/** Call options that send a patch body as `application/merge-patch+json` (RFC 7386). */
export function mergePatch(): ConfigurationOptions<ObservableMiddleware> {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
}

/** The HTTP status of a failed client-node call, or undefined for a non-HTTP failure (network, parse). */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (typeof error === 'object' && error !== null) {
    const candidate =
      (error as { code?: unknown; statusCode?: unknown }).statusCode ?? (error as { code?: unknown }).code;
    if (typeof candidate === 'number') return candidate;
  }
  return undefined;
}

export const isNotFound = (error: unknown): boolean => httpStatusOf(error) === 404;
/** 409: someone else changed the object first (stale resourceVersion) or it already exists. */
export const isConflict = (error: unknown): boolean => httpStatusOf(error) === 409;

/**
 * A metav1.MicroTime value. The API server parses MicroTime with exactly six fractional digits
 * (`2026-01-02T03:04:05.123456Z`); a plain `Date` would serialize with three and be rejected.
 * client-node passes V1MicroTime through `JSON.stringify`, which calls its six-digit `toISOString`.
 */
export function microTime(at: Date): V1MicroTime {
  return new V1MicroTime(at.getTime());
}

/**
 * Reads a MicroTime or Time field as client-node returns it: client-node does not deserialize
 * V1MicroTime, so the value arrives as the wire string (or a Date for metav1.Time fields).
 */
export function parseKubeTime(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Coordinates of the CrossAccountDelegation resource for `CustomObjectsApi` calls. */
export const delegationResource = { group: API_GROUP, version: API_VERSION, plural: PLURAL } as const;

/** The work-queue key of a namespaced object: `namespace/name`. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a `namespace/name` key; a key without a slash names a cluster-scoped object. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: undefined, name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
