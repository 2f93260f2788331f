import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { CREDENTIALS_IN_USE, CREDENTIALS_LABEL, SECRET_IN_USE_FINALIZER } from '../api/constants.js';
import type { Logger } from '../observability/logger.js';
import { CredentialSecretDeletingError } from './errors.js';
import { secretPatcher, type MetadataPatcher } from './finalizers.js';
import { isNotFound, objectKey, splitKey } from './kube-clients.js';
import { readWithRetry } from './kube-retry.js';
import { WorkQueue } from './work-queue.js';

/**
 * The in-use finalizer on credential Secrets (docs/design.md#finalizers): a Secret a delegation reads an
 * account's keys from cannot vanish while the delegation may still need it to revoke. Reconcile passes put
 * the finalizer on, together with the `ram-delegation.dev/credentials: in-use` label that lets the operator's
 * label-selected Secret watch see the Secret (so editing it triggers the delegations that use it); both come
 * off once no delegation references the Secret.  Releasing is a small controller of its own, with its own
 * work queue keyed by `namespace/secretName`: a delegation's deletion path releases what no other delegation
 * uses, and every delegation's DELETE, or spec change to other Secrets, queues a check of those it
 * referenced. Delegations deleted together each see the others still referencing a shared Secret while
 * they finalize, so only the check after the last DELETE finds it unused. That check lives in memory
 * only, so after every list of delegations (at start, after a restart, and at each relist) every Secret
 * that holds the finalizer while no delegation of the shard uses it is checked too.
 */
export interface CredentialSecretsOptions {
  core: CoreV1Api;
  /**
   * Whether a delegation still references the Secret, not counting `exceptKey` (the `namespace/name`
   * of a delegation being finalized). Must see every shard's delegations, not only this operator's.
   */
  stillReferenced(
    namespace: string,
    secretName: string,
    exceptKey: string | undefined,
  ): boolean | Promise<boolean>;
}

/** Whether the Secret carries both the in-use finalizer and the label. */
function isProtected(secret: V1Secret): boolean {
  return (
    (secret.metadata?.finalizers ?? []).includes(SECRET_IN_USE_FINALIZER) &&
    secret.metadata?.labels?.[CREDENTIALS_LABEL] !== undefined
  );
}

export class CredentialSecrets {
  private readonly patch: MetadataPatcher;

  constructor(private readonly options: CredentialSecretsOptions) {
    this.patch = secretPatcher(options.core);
  }

  /**
   * Puts the in-use finalizer and label on each named Secret that exists (a missing one is reported by
   * the credentials lookup, not here). A Secret labelled by its owner keeps its label value. A Secret
   * already being deleted takes no new finalizer: CredentialSecretDeletingError (terminal) instead.
   */
  async protect(namespace: string, names: readonly (string | undefined)[]): Promise<void> {
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        if (!name) return;
        const secret = await this.read(namespace, name);
        if (!secret) return;
        if (secret.metadata?.deletionTimestamp)
          throw new CredentialSecretDeletingError(secret, SECRET_IN_USE_FINALIZER);
        if (isProtected(secret)) return;
        const finalizers = secret.metadata?.finalizers ?? [];
        await this.write(secret, {
          finalizers: finalizers.includes(SECRET_IN_USE_FINALIZER)
            ? finalizers
            : [...finalizers, SECRET_IN_USE_FINALIZER],
          labels: { [CREDENTIALS_LABEL]: secret.metadata?.labels?.[CREDENTIALS_LABEL] ?? CREDENTIALS_IN_USE },
        });
      }),
    );
  }

  /** Drops the in-use finalizer (and the operator's label) from each named Secret no delegation but `exceptKey` references. */
  async release(
    namespace: string,
    names: readonly (string | undefined)[],
    exceptKey?: string,
  ): Promise<void> {
    for (const name of new Set(names)) {
      if (!name || (await this.options.stillReferenced(namespace, name, exceptKey))) continue;
      const secret = await this.read(namespace, name);
      if (!secret) continue;
      const finalizers = secret.metadata?.finalizers ?? [];
      const ours = secret.metadata?.labels?.[CREDENTIALS_LABEL] === CREDENTIALS_IN_USE;
      if (!finalizers.includes(SECRET_IN_USE_FINALIZER) && !ours) continue;
      const remaining = finalizers.filter((finalizer) => finalizer !== SECRET_IN_USE_FINALIZER);
      try {
        await this.write(secret, {
          finalizers: remaining.length > 0 ? remaining : null,
          ...(ours ? { labels: { [CREDENTIALS_LABEL]: null } } : {}),
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  /** One check of the release controller, by Secret key `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    if (namespace) await this.release(namespace, [name]);
  }

  private async read(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await readWithRetry(() => this.options.core.readNamespacedSecret({ namespace, name }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * A merge patch of the Secret's metadata, guarded by the resourceVersion read (409 when it changed
   * meanwhile: the caller's pass is retried, so a stale finalizer list never overwrites a newer one).
   */
  private async write(secret: V1Secret, metadata: Record<string, unknown>): Promise<void> {
    const { name, namespace, resourceVersion } = secret.metadata ?? {};
    if (!name || !namespace || !resourceVersion)
      throw new Error('credential Secret without name, namespace or resourceVersion');
    await this.patch(namespace, name, { metadata: { resourceVersion, ...metadata } });
  }
}

/** The release controller: a work queue of Secret keys, fed by the delegations that stop using them. */
export interface SecretReleaseController {
  queue: WorkQueue;
  /**
   * Queues a check of each credential Secret a delegation no longer references: it was deleted, left
   * this shard, or its spec names other Secrets now (an informer hook, see {@link droppedCredentials}).
   */
  secretsDropped: (namespace: string | undefined, credentialSecrets: readonly string[]) => void;
}

/** The credential Secrets a delegation's previous record referenced and its new one (if any) does not. */
export function droppedCredentials(
  record: { credentials: readonly string[] } | undefined,
  previous: { credentials: readonly string[] } | undefined,
): string[] {
  return (previous?.credentials ?? []).filter((name) => !record?.credentials.includes(name));
}

export function createSecretReleaseController(
  secrets: CredentialSecrets,
  logger: Logger,
): SecretReleaseController {
  const queue = new WorkQueue({
    workers: 1,
    handler: (key) => secrets.reconcile(key),
    hooks: {
      onError: (key, error, attempt) =>
        logger.warn({ secret: key, attempt, err: error }, 'credential Secret release will be retried'),
    },
  });
  return {
    queue,
    secretsDropped: (namespace, credentialSecrets) => {
      for (const name of credentialSecrets) queue.add(objectKey(namespace, name));
    },
  };
}
