import { createHash } from 'node:crypto';
import type {
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { API_GROUP, API_VERSION, PLURAL, SHARD_LABEL } from '../api/constants.js';
import { readyStatusOf, type ReadyStatus } from '../observability/metrics.js';
import { Informer } from './informer.js';
import type { KeySink, ListPageRequest } from './informer-options.js';
import type { CacheRecord } from './record-cache.js';
import { delegationResource, objectKey } from './kube-clients.js';
import { priorityFor, revocationReason, type RevocationReason } from './pass-priority.js';
import type { Timers } from './timing.js';

/**
 * The CrossAccountDelegation informer: each change that matters enqueues the delegation, in the urgent
 * lane when its pass revokes. Its cache keeps a few facts per delegation, not the object: a pass GETs
 * the object at its start anyway, so holding every spec and status in memory would only cost.
 */

/** What the operator remembers about a delegation between passes. */
export interface DelegationRecord extends CacheRecord {
  /** The status of its Ready condition, for the delegations gauge. */
  ready: ReadyStatus;
  /** Why its next pass revokes, if it does (it then jumps ahead of routine passes). */
  revocation: RevocationReason | undefined;
  /** The credential Secrets it references (`spec.{owner,authorized}.credentials.secretRef.name`). */
  credentials: readonly string[];
}

/**
 * What a delegation's reconcile depends on in its metadata and spec, not its status: generation,
 * deletion, annotations. Not its finalizers: the pass that adds the operator's finalizer goes on to
 * reconcile, and a second pass for the update it caused would only repeat the reads (a finalizer
 * removed by hand is put back by the next resync). Hashed, so a large annotation (kubectl's
 * last-applied configuration) costs the cache 27 characters.
 */
export function delegationFingerprint(object: KubernetesObject): string {
  const metadata = object.metadata ?? {};
  const facts = JSON.stringify([
    metadata.generation,
    metadata.deletionTimestamp ?? null,
    metadata.annotations ?? {},
  ]);
  return createHash('sha1').update(facts).digest('base64').slice(0, 27);
}

/** A delegation's spec, read defensively: it is not validated yet. */
type LooseSpec =
  | {
      owner?: { credentials?: { secretRef?: { name?: unknown } } };
      authorized?: { credentials?: { secretRef?: { name?: unknown } } };
    }
  | undefined;

/** The credentials Secrets a delegation references (`spec.{owner,authorized}.credentials.secretRef`). */
export function credentialSecretNames(delegation: KubernetesObject): string[] {
  const spec = (delegation as { spec?: LooseSpec }).spec;
  const names = [spec?.owner?.credentials?.secretRef?.name, spec?.authorized?.credentials?.secretRef?.name];
  return [...new Set(names.filter((name): name is string => typeof name === 'string' && name !== ''))];
}

export function delegationRecord(object: KubernetesObject, now: Date): DelegationRecord {
  return {
    fingerprint: delegationFingerprint(object),
    ready: readyStatusOf(object),
    revocation: revocationReason(object, now),
    credentials: credentialSecretNames(object),
  };
}

/**
 * Whether one of `delegations` still references the credential Secret `namespace/secretName`, not
 * counting the delegation `exceptKey` (one being finalized).
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
      credentialSecretNames(d).includes(secretName),
  );
}

/**
 * The label selector of a shard's delegations: those labelled with its name, or, without a shard,
 * those without the shard label.
 */
export function shardSelector(shard: string | undefined): string {
  return shard === undefined ? `!${SHARD_LABEL}` : `${SHARD_LABEL}=${shard}`;
}

/** Whether a delegation belongs to the shard (see {@link shardSelector}). */
export function inShard(object: KubernetesObject, shard: string | undefined): boolean {
  const label = object.metadata?.labels?.[SHARD_LABEL];
  return shard === undefined ? label === undefined : label === shard;
}

export interface DelegationInformerOptions {
  kubeConfig: KubeConfig;
  customObjects: CustomObjectsApi;
  sink: KeySink;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  /** Reconcile only this shard's delegations (default: those without the shard label). */
  shard?: string;
  /** How often to relist and enqueue every delegation (default 30 min). */
  relistPeriodMs?: number;
  /** Called when a record is stored or removed, e.g. to index credential Secrets. */
  onRecord?: (
    key: string,
    record: DelegationRecord | undefined,
    previous: DelegationRecord | undefined,
  ) => void;
  /** Called after every list (the first and each relist) has replaced the cache. */
  onListed?: () => void;
  logger?: Logger;
  timers?: Timers;
  clock?: () => Date;
}

export type DelegationInformer = Informer<KubernetesObject, DelegationRecord>;

/** The CrossAccountDelegation informer of one shard. */
export function createDelegationInformer(options: DelegationInformerOptions): DelegationInformer {
  const base = `/apis/${API_GROUP}/${API_VERSION}`;
  const { namespace } = options;
  const clock = options.clock ?? (() => new Date());
  const listPage = (page: ListPageRequest) => {
    const query = {
      ...delegationResource,
      limit: page.limit,
      _continue: page.continue,
      labelSelector: page.labelSelector,
    };
    return (
      namespace
        ? options.customObjects.listNamespacedCustomObject({ ...query, namespace })
        : options.customObjects.listClusterCustomObject(query)
    ) as Promise<KubernetesListObject<KubernetesObject>>;
  };
  return new Informer<KubernetesObject, DelegationRecord>({
    name: 'delegations',
    kubeConfig: options.kubeConfig,
    path: namespace ? `${base}/namespaces/${namespace}/${PLURAL}` : `${base}/${PLURAL}`,
    listPage,
    labelSelector: shardSelector(options.shard),
    project: (object) => delegationRecord(object, clock()),
    priorityOf: (record) => priorityFor(record.revocation),
    ...(options.onRecord ? { onRecord: options.onRecord } : {}),
    ...(options.onListed ? { onListed: options.onListed } : {}),
    relistEnqueues: 'all',
    ...(options.relistPeriodMs !== undefined ? { relistPeriodMs: options.relistPeriodMs } : {}),
    sink: options.sink,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
}
