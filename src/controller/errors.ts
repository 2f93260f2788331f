import type { KubernetesObject } from '@kubernetes/client-node';
import { Reason } from '../api/constants.js';

/**
 * Failures the controller itself raises, typed so that deciding what they mean reads a class and a
 * field, never a message or a code string.
 *
 * A {@link TerminalError} is controller-runtime's TerminalError: no retry can fix it, so the pass stops,
 * the delegation goes Stalled with `reason`, and it waits for a change (or the next resync) instead of
 * being retried hot.
 */
export class TerminalError extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}

/** A credentials Secret a delegation references is missing or incomplete, or the chain is not allowed. */
export class CredentialsError extends TerminalError {
  constructor(
    override readonly reason: typeof Reason.CredentialsNotFound | typeof Reason.CredentialsNotAllowed,
    message: string,
    /**
     * The Secret does not exist. Its creation is not watched (the operator watches only the Secrets it
     * labelled, and it cannot label one that does not exist yet), so the delegation looks again sooner.
     */
    readonly secretAbsent = false,
  ) {
    super(reason, message);
    this.name = 'CredentialsError';
  }
}

/**
 * A Secret the operator would write a user's credentials into exists and belongs to someone else: the
 * pass stops rather than overwrite it.
 */
export class SecretNotManagedError extends TerminalError {
  constructor(message: string) {
    super(Reason.EntityNotManaged, message);
    this.name = 'SecretNotManagedError';
  }
}

/**
 * A credentials Secret a delegation references is being deleted: it can take no new finalizer (the API
 * server answers 422), and once its finalizers are gone, so is the Secret. The delegation stalls with
 * a message saying so; a revocation still uses the Secret for as long as it exists.
 */
export class CredentialSecretDeletingError extends CredentialsError {
  constructor(secret: KubernetesObject, inUseFinalizer: string) {
    const { namespace, name } = secret.metadata ?? {};
    const held = secret.metadata?.finalizers?.includes(inUseFinalizer) ?? false;
    super(
      Reason.CredentialsNotFound,
      `Secret ${namespace}/${name} is being deleted` +
        (held
          ? ` (kept by the ${inUseFinalizer} finalizer until no delegation needs it to revoke)`
          : ' and will be gone') +
        ': reference another Secret, or delete the delegation',
    );
    this.name = 'CredentialSecretDeletingError';
  }
}
