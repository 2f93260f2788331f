import type { CustomObjectsApi, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { countByReady, type ReadyStatus } from '../observability/metrics.js';
import {
  createDelegationInformer,
  secretStillReferenced,
  type DelegationInformer,
} from './delegation-informers.js';
import { droppedCredentials } from './credential-secrets.js';
import type { KeySink } from './informer-options.js';
import { delegationResource, splitKey, type KubeClients } from './kube-clients.js';
import { readWithRetry } from './kube-retry.js';
import { priorityFor } from './pass-priority.js';
import {
  CredentialIndex,
  createCredentialSecretInformer,
  createUserSecretInformer,
  type SecretRecord,
} from './secret-informers.js';
import type { Priority } from './work-queue.js';

/**
 * The operator's three informers, wired together: delegations of this shard (their records feed the
 * credential-Secret index), credential Secrets and users' Secrets (each change enqueues the delegations
 * that use the Secret, in the lane the delegation's own record calls for).
 */
export interface OperatorInformers {
  delegations: DelegationInformer;
  index: CredentialIndex;
  start(): void;
  stop(): Promise<void>;
  hasSynced(): boolean;
  /** Delegations of this shard by the status of their Ready condition. */
  readyCounts(): Record<ReadyStatus, number>;
}

export interface OperatorInformerOptions {
  kube: KubeClients;
  queue: { add(key: string, priority?: Priority): void };
  shard: string | undefined;
  namespace: string | undefined;
  relistPeriodMs: number;
  /** Whether a user Secret's event shows the operator's own write (it then enqueues nothing). */
  isOwnWrite?: (key: string, fingerprint: string) => boolean;
  /**
   * A delegation stopped referencing these credential Secrets (deleted, relabelled away from this
   * shard, or its spec names others now), or a Secret holds the in-use finalizer while no delegation of
   * this shard uses it (a release lost to a crash): check them.
   */
  onCredentialsDropped: (namespace: string | undefined, credentialSecrets: readonly string[]) => void;
  logger: Logger;
  clock: () => Date;
}

export function createOperatorInformers(options: OperatorInformerOptions): OperatorInformers {
  const { kube, queue, logger } = options;
  const index = new CredentialIndex();
  const namespace = options.namespace ? { namespace: options.namespace } : {};
  const delegations = createDelegationInformer({
    kubeConfig: kube.kubeConfig,
    customObjects: kube.customObjects,
    sink: queue,
    ...namespace,
    ...(options.shard ? { shard: options.shard } : {}),
    relistPeriodMs: options.relistPeriodMs,
    onRecord: (key, record, previous) => {
      index.update(key, record, previous);
      const dropped = droppedCredentials(record, previous);
      if (dropped.length > 0) options.onCredentialsDropped(splitKey(key).namespace, dropped);
    },
    // Level-based: after every list of delegations, each held Secret none of them uses is checked.
    onListed: () => {
      for (const [key, record] of credentials.entries()) checkIfUnused(key, record);
    },
    logger,
    clock: options.clock,
  });
  // A Secret's change reaches a delegation in the lane its own record calls for.
  const delegationSink: KeySink = {
    add: (key) => {
      const { namespace: ns, name } = splitKey(key);
      queue.add(key, priorityFor(delegations.get(ns, name)?.revocation));
    },
  };
  const secretOptions = {
    kubeConfig: kube.kubeConfig,
    core: kube.core,
    sink: delegationSink,
    ...namespace,
    relistPeriodMs: options.relistPeriodMs,
    logger,
  };
  /**
   * A Secret that holds the in-use finalizer while no delegation of this shard uses it is checked
   * (against every shard) once the delegations are known: a release the last delegation's deletion
   * queued dies with the process that queued it, and this finds it again after a restart.
   */
  const checkIfUnused = (key: string, record: SecretRecord | undefined) => {
    if (!record?.held || !delegations.hasSynced() || index.delegationsUsing(key).length > 0) return;
    const { namespace: ns, name } = splitKey(key);
    options.onCredentialsDropped(ns, [name]);
  };
  const credentials = createCredentialSecretInformer({ ...secretOptions, index, onRecord: checkIfUnused });
  const informers = [
    delegations,
    credentials,
    createUserSecretInformer({
      ...secretOptions,
      ...(options.isOwnWrite ? { isOwnWrite: options.isOwnWrite } : {}),
    }),
  ];
  return {
    delegations,
    index,
    start: () => informers.forEach((informer) => informer.start()),
    stop: async () => {
      await Promise.all(informers.map((informer) => informer.stop()));
    },
    hasSynced: () => informers.every((informer) => informer.hasSynced()),
    readyCounts: () => countByReady(readyStatuses(delegations)),
  };
}

function* readyStatuses(delegations: DelegationInformer): Generator<ReadyStatus> {
  for (const [, record] of delegations.entries()) yield record.ready;
}

/**
 * Every delegation (of `namespace`, or all; of the shard `labelSelector` selects), read by a fresh
 * paged list: for the rare readers that need whole objects, since the informer keeps records only.
 */
export async function listDelegations(
  customObjects: CustomObjectsApi,
  namespace: string | undefined,
  labelSelector: string,
): Promise<KubernetesObject[]> {
  const items: KubernetesObject[] = [];
  let token: string | undefined;
  do {
    const paging = { limit: 500, labelSelector, ...(token ? { _continue: token } : {}) };
    const page = (await readWithRetry(() =>
      namespace
        ? customObjects.listNamespacedCustomObject({ ...delegationResource, namespace, ...paging })
        : customObjects.listClusterCustomObject({ ...delegationResource, ...paging }),
    )) as KubernetesListObject<KubernetesObject> & { metadata?: { continue?: string } };
    items.push(...page.items);
    token = page.metadata?.continue;
  } while (token);
  return items;
}

/**
 * The release check's question (`CredentialSecretsOptions.stillReferenced`): this shard's index answers
 * "in use" at once; "unused" is confirmed against every shard's delegations by a live list. The index
 * is read when asked (`index()`), so it may come from informers created after this.
 */
export function stillReferencedBy(
  customObjects: CustomObjectsApi,
  index: () => CredentialIndex,
): (namespace: string, secretName: string, exceptKey: string | undefined) => Promise<boolean> {
  return async (namespace, secretName, exceptKey) =>
    index().isUsed(namespace, secretName, exceptKey) ||
    (await referencedInNamespace(customObjects, namespace, secretName, exceptKey));
}

/**
 * Whether any delegation in `namespace`, of any shard, references the credential Secret `secretName`,
 * other than `exceptKey`: a live, paged list, since this shard's cache does not see the other shards.
 */
async function referencedInNamespace(
  customObjects: CustomObjectsApi,
  namespace: string,
  secretName: string,
  exceptKey: string | undefined,
): Promise<boolean> {
  let token: string | undefined;
  do {
    const request = { ...delegationResource, namespace, limit: 500, ...(token ? { _continue: token } : {}) };
    const page = (await readWithRetry(() =>
      customObjects.listNamespacedCustomObject(request),
    )) as KubernetesListObject<KubernetesObject> & { metadata?: { continue?: string } };
    if (secretStillReferenced(page.items, namespace, secretName, exceptKey)) return true;
    token = page.metadata?.continue;
  } while (token);
  return false;
}
