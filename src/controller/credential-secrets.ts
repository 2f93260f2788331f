import type { CoreV1Api, KubernetesObject } from '@kubernetes/client-node';
import { SECRET_IN_USE_FINALIZER } from '../api/constants.js';
import type { Logger } from '../observability/logger.js';
import { CredentialSecretDeletingError } from './errors.js';
import { addFinalizer, removeFinalizer, secretPatcher, type MetadataPatcher } from './finalizers.js';
import { credentialSecretNames } from './delegation-informers.js';
import { isNotFound, objectKey, splitKey } from './kube-clients.js';
import { WorkQueue } from './work-queue.js';

/**
 * The in-use finalizer on credential Secrets (DESIGN §3): a Secret a delegation reads an account's keys
 * from cannot vanish while the delegation may still need it to revoke. Reconcile passes put the
 * finalizer on; it comes off once no delegation references the Secret.
 *
 * Releasing is a small controller of its own, with its own work queue keyed by `namespace/secretName`:
 * a delegation's deletion path releases what no other delegation uses, and every delegation's DELETE
 * queues a check of the Secrets it referenced. Delegations deleted together each see the others still
 * referencing a shared Secret while they finalize, so only the check after the last DELETE finds it
 * unused.
 */
export interface CredentialSecretsOptions {
  core: CoreV1Api;
  /**
   * Whether a delegation still references the Secret, not counting `exceptKey` (the `namespace/name`
   * of a delegation being finalized). Read from the delegation informer's cache.
   */
  stillReferenced(namespace: string, secretName: string, exceptKey: string | undefined): boolean;
}

export class CredentialSecrets {
  private readonly patch: MetadataPatcher;

  constructor(private readonly options: CredentialSecretsOptions) {
    this.patch = secretPatcher(options.core);
  }

  /**
   * Puts the in-use finalizer on each named Secret (they must exist). A Secret already being deleted
   * takes no new finalizer: CredentialSecretDeletingError (terminal) instead.
   */
  async protect(namespace: string, names: readonly (string | undefined)[]): Promise<void> {
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        if (!name) return;
        const secret = await this.options.core.readNamespacedSecret({ namespace, name });
        if (secret.metadata?.deletionTimestamp)
          throw new CredentialSecretDeletingError(secret, SECRET_IN_USE_FINALIZER);
        await addFinalizer(this.patch, secret, SECRET_IN_USE_FINALIZER);
      }),
    );
  }

  /** Drops the in-use finalizer from each named Secret no delegation but `exceptKey` references. */
  async release(
    namespace: string,
    names: readonly (string | undefined)[],
    exceptKey?: string,
  ): Promise<void> {
    for (const name of new Set(names)) {
      if (!name || this.options.stillReferenced(namespace, name, exceptKey)) continue;
      try {
        const secret = await this.options.core.readNamespacedSecret({ namespace, name });
        await removeFinalizer(this.patch, secret, SECRET_IN_USE_FINALIZER);
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
}

/** The release controller: a work queue of Secret keys, fed by delegation deletions. */
export interface SecretReleaseController {
  queue: WorkQueue;
  /** Queues a check of every credential Secret `delegation` referenced (an informer's delete hook). */
  delegationDeleted: (delegation: KubernetesObject) => void;
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
    delegationDeleted: (delegation) => {
      const namespace = delegation.metadata?.namespace;
      for (const name of credentialSecretNames(delegation)) queue.add(objectKey(namespace, name));
    },
  };
}
