import { createHash } from 'node:crypto';
import type {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  V1Secret,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { API_GROUP, API_VERSION, PLURAL } from '../api/constants.js';
import { Informer, type KeySink } from './informer.js';
import { delegationResource, objectKey } from './kube-clients.js';
import type { Timers } from './work-queue.js';

/**
 * The operator's two informers: CrossAccountDelegations (each change enqueues the delegation) and
 * Secrets (a change enqueues the delegations that reference the Secret), and what they key on.
 */

/** What a delegation's reconcile depends on in its metadata and spec (not its status). */
export function delegationFingerprint(object: KubernetesObject): string {
  const metadata = object.metadata ?? {};
  return JSON.stringify([
    metadata.generation,
    metadata.deletionTimestamp ?? null,
    metadata.annotations ?? {},
    metadata.finalizers ?? [],
  ]);
}

export interface DelegationInformerOptions {
  kubeConfig: KubeConfig;
  customObjects: CustomObjectsApi;
  sink: KeySink;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  logger?: Logger;
  timers?: Timers;
  /** Called when a delegation is deleted (e.g. to queue checks of the Secrets it referenced). */
  onDelete?: (object: KubernetesObject) => void;
}

/** The CrossAccountDelegation informer: enqueues on spec, deletion, annotation and finalizer changes. */
export function createDelegationInformer(options: DelegationInformerOptions): Informer<KubernetesObject> {
  const base = `/apis/${API_GROUP}/${API_VERSION}`;
  const path = options.namespace ? `${base}/namespaces/${options.namespace}/${PLURAL}` : `${base}/${PLURAL}`;
  const list = options.namespace
    ? () =>
        options.customObjects.listNamespacedCustomObject({
          ...delegationResource,
          namespace: options.namespace as string,
        })
    : () => options.customObjects.listClusterCustomObject(delegationResource);
  return new Informer<KubernetesObject>({
    kubeConfig: options.kubeConfig,
    path,
    list: list as () => Promise<KubernetesListObject<KubernetesObject>>,
    fingerprint: delegationFingerprint,
    sink: options.sink,
    ...(options.onDelete ? { onDelete: options.onDelete } : {}),
    logger: options.logger,
    timers: options.timers,
  });
}

/**
 * What makes a Secret change worth a pass: its content and deletion, not the finalizers and labels the
 * operator itself puts on it. Hashed, so the fingerprint table holds no secret material.
 */
export function secretFingerprint(secret: V1Secret): string {
  const content = JSON.stringify([secret.data ?? {}, secret.metadata?.deletionTimestamp ?? null]);
  return createHash('sha256').update(content).digest('hex');
}

/** A delegation's spec, read defensively: it is not validated yet. */
type LooseSpec =
  | {
      owner?: { credentials?: { secretRef?: { name?: unknown } } };
      authorized?: { credentials?: { secretRef?: { name?: unknown } } };
      users?: unknown;
    }
  | undefined;

const specOf = (delegation: KubernetesObject): LooseSpec => (delegation as { spec?: LooseSpec }).spec;

function names(values: unknown[]): string[] {
  return [...new Set(values.filter((name): name is string => typeof name === 'string' && name !== ''))];
}

/** The credentials Secrets a delegation references (`spec.{owner,authorized}.credentials.secretRef`). */
export function credentialSecretNames(delegation: KubernetesObject): string[] {
  const spec = specOf(delegation);
  return names([spec?.owner?.credentials?.secretRef?.name, spec?.authorized?.credentials?.secretRef?.name]);
}

/**
 * The names of the Secrets a delegation references: the credentials of both accounts and the Secrets
 * the operator writes users' credentials into.
 */
export function referencedSecretNames(delegation: KubernetesObject): string[] {
  const users = specOf(delegation)?.users;
  const userSecrets = Array.isArray(users)
    ? users.map(
        (user: unknown) => (user as { credentialsSecretName?: unknown } | null)?.credentialsSecretName,
      )
    : [];
  return names([...credentialSecretNames(delegation), ...userSecrets]);
}

/**
 * Whether one of `delegations` still references the Secret `namespace/secretName`, not counting the
 * delegation `exceptKey` (one being finalized).
 */
export function secretStillReferenced(
  delegations: readonly KubernetesObject[],
  namespace: string,
  secretName: string,
  exceptKey: string | undefined,
): boolean {
  return delegations.some(
    (d) =>
      d.metadata?.namespace === namespace &&
      objectKey(namespace, d.metadata?.name ?? '') !== exceptKey &&
      referencedSecretNames(d).includes(secretName),
  );
}

/**
 * Delegation keys that reference `secret`, found by scanning the delegation cache of the Secret's
 * namespace (Secret events are rare; the scan keeps the answer consistent with the cache).
 */
export function delegationsReferencingSecret(
  delegations: Informer<KubernetesObject>,
  secret: KubernetesObject,
): string[] {
  const namespace = secret.metadata?.namespace;
  const name = secret.metadata?.name;
  if (!namespace || !name) return [];
  return delegations
    .list(namespace)
    .filter((delegation) => referencedSecretNames(delegation).includes(name))
    .map((delegation) => objectKey(namespace, delegation.metadata?.name ?? ''));
}

export interface SecretInformerOptions {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  delegations: Informer<KubernetesObject>;
  sink: KeySink;
  namespace?: string;
  /** Restrict the cache (Secrets are the most sensitive objects a controller can hold). */
  labelSelector?: string;
  logger?: Logger;
  timers?: Timers;
}

/** A Secret informer that enqueues the delegations referencing a changed Secret, never the Secret. */
export function createSecretInformer(options: SecretInformerOptions): Informer<V1Secret> {
  const path = options.namespace ? `/api/v1/namespaces/${options.namespace}/secrets` : '/api/v1/secrets';
  const list = options.namespace
    ? () =>
        options.core.listNamespacedSecret({
          namespace: options.namespace as string,
          labelSelector: options.labelSelector,
        })
    : () => options.core.listSecretForAllNamespaces({ labelSelector: options.labelSelector });
  return new Informer<V1Secret>({
    kubeConfig: options.kubeConfig,
    path,
    list: list,
    keysFor: (secret) => delegationsReferencingSecret(options.delegations, secret),
    fingerprint: secretFingerprint,
    sink: options.sink,
    labelSelector: options.labelSelector,
    logger: options.logger,
    timers: options.timers,
  });
}
