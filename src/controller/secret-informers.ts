import { createHash } from 'node:crypto';
import type { CoreV1Api, KubeConfig, KubernetesListObject, V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { CREDENTIALS_LABEL, SECRET_IN_USE_FINALIZER } from '../api/constants.js';
import { Informer } from './informer.js';
import type { KeySink, ListPageRequest } from './informer-options.js';
import type { CacheRecord } from './record-cache.js';
import type { DelegationRecord } from './delegation-informers.js';
import { objectKey, splitKey } from './kube-clients.js';
import type { Timers } from './timing.js';
import { DELEGATION_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from './user-secret-body.js';

/**
 * The Secrets the operator watches, and only those (docs/adr/0008-own-list-watch-and-small-caches.md): credential Secrets,
 * which carry the `ram-delegation.dev/credentials` label (the operator puts it on with the in-use
 * finalizer), and the users' Secrets it writes (labelled managed-by the operator). Both watches are
 * label-selected, so other tools' Secrets never reach the operator, and the cache keeps a hash per
 * Secret, never its data: a pass GETs the credentials it needs. A change enqueues the delegations that
 * use the Secret, never the Secret.
 */

/** A Secret as cached: a hash of what makes a change worth a pass. */
export interface SecretRecord extends CacheRecord {
  /** The delegation a user Secret belongs to (its `ram-delegation.dev/delegation` label). */
  delegation?: string;
  /**
   * A credential Secret carries the operator's in-use finalizer. Not part of the fingerprint: putting
   * the finalizer on or off is the operator's own write and deserves no pass.
   */
  held?: true;
}

/**
 * What makes a Secret change worth a pass: its content and whether it is being deleted, not the
 * finalizers and labels the operator itself puts on it. Hashed: the cache holds no secret material.
 */
export function secretFingerprint(secret: V1Secret): string {
  // In key order: the API server may answer with the keys in another order than they were written.
  const data = Object.entries(secret.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const content = JSON.stringify([data, Boolean(secret.metadata?.deletionTimestamp)]);
  return createHash('sha1').update(content).digest('base64').slice(0, 27);
}

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name, i) => name === b[i]);

/** Which delegations (by key) use which credential Secret (by `namespace/name`), kept from their records. */
export class CredentialIndex {
  private readonly users = new Map<string, Set<string>>();

  /** Follows one delegation record's change (an informer's `onRecord`). */
  update(key: string, record: DelegationRecord | undefined, previous: DelegationRecord | undefined): void {
    if (sameNames(record?.credentials ?? [], previous?.credentials ?? [])) return;
    const { namespace } = splitKey(key);
    for (const name of previous?.credentials ?? []) {
      const secret = objectKey(namespace, name);
      const users = this.users.get(secret);
      users?.delete(key);
      if (users?.size === 0) this.users.delete(secret);
    }
    for (const name of record?.credentials ?? []) {
      const secret = objectKey(namespace, name);
      let users = this.users.get(secret);
      if (!users) this.users.set(secret, (users = new Set()));
      users.add(key);
    }
  }

  /** The keys of the delegations that use the Secret `secretKey` (`namespace/name`). */
  delegationsUsing(secretKey: string): string[] {
    return [...(this.users.get(secretKey) ?? [])];
  }

  /** Whether a delegation other than `exceptKey` uses the Secret. */
  isUsed(namespace: string, name: string, exceptKey: string | undefined): boolean {
    const users = this.users.get(objectKey(namespace, name));
    if (!users) return false;
    return users.size > (exceptKey !== undefined && users.has(exceptKey) ? 1 : 0);
  }
}

interface SecretInformerOptions {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  sink: KeySink;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  relistPeriodMs?: number;
  logger?: Logger;
  timers?: Timers;
  /** Called when a record is stored or removed (`undefined`). */
  onRecord?: (key: string, record: SecretRecord | undefined) => void;
}

function secretInformer(
  options: SecretInformerOptions,
  name: string,
  labelSelector: string,
  project: (secret: V1Secret) => SecretRecord,
  keysFor: (key: string, record: SecretRecord) => readonly string[],
): Informer<V1Secret, SecretRecord> {
  const { namespace, core } = options;
  const listPage = (page: ListPageRequest): Promise<KubernetesListObject<V1Secret>> => {
    const query = { limit: page.limit, _continue: page.continue, labelSelector: page.labelSelector };
    return namespace
      ? core.listNamespacedSecret({ ...query, namespace })
      : core.listSecretForAllNamespaces(query);
  };
  return new Informer<V1Secret, SecretRecord>({
    name,
    kubeConfig: options.kubeConfig,
    path: namespace ? `/api/v1/namespaces/${namespace}/secrets` : '/api/v1/secrets',
    listPage,
    labelSelector,
    project,
    keysFor,
    // A relist of Secrets enqueues only what changed: the delegations' own relist covers the rest.
    relistEnqueues: 'changed',
    ...(options.relistPeriodMs !== undefined ? { relistPeriodMs: options.relistPeriodMs } : {}),
    sink: options.sink,
    ...(options.onRecord ? { onRecord: options.onRecord } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
}

/** Credential Secrets (labelled): a change enqueues every delegation the index says uses it. */
export function createCredentialSecretInformer(
  options: SecretInformerOptions & { index: CredentialIndex },
): Informer<V1Secret, SecretRecord> {
  return secretInformer(
    options,
    'credential-secrets',
    CREDENTIALS_LABEL,
    (secret) => ({
      fingerprint: secretFingerprint(secret),
      ...((secret.metadata?.finalizers ?? []).includes(SECRET_IN_USE_FINALIZER) ? { held: true } : {}),
    }),
    (key) => options.index.delegationsUsing(key),
  );
}

/**
 * The users' Secrets the operator wrote: a change enqueues the delegation named in their label, unless
 * it is the operator's own write as the pass expected it (`isOwnWrite`: own-secret-writes.ts).
 */
export function createUserSecretInformer(
  options: SecretInformerOptions & { isOwnWrite?: (key: string, fingerprint: string) => boolean },
): Informer<V1Secret, SecretRecord> {
  return secretInformer(
    options,
    'user-secrets',
    `${MANAGED_BY_LABEL}=${MANAGED_BY}`,
    (secret) => {
      const delegation = secret.metadata?.labels?.[DELEGATION_LABEL];
      return { fingerprint: secretFingerprint(secret), ...(delegation ? { delegation } : {}) };
    },
    (key, record) =>
      record.delegation && !options.isOwnWrite?.(key, record.fingerprint)
        ? [objectKey(splitKey(key).namespace, record.delegation)]
        : [],
  );
}
