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
