/**
 * One error taxonomy for every Alibaba Cloud call, mapped from the SDK's `error.code` / `error.statusCode`.
 * The engine and the controller decide on `kind` only: NotFound and AlreadyExists are facts to act on,
 * Throttled and Transient are retried with backoff, the rest are terminal for the current spec
 * (the delegation goes Stalled until the spec, the credentials or the account changes).
 *
 * Failures the operator itself detects have their own classes (subclasses of {@link CloudError}, so code
 * that only knows the taxonomy still classifies them): decide on them with `instanceof`, never by
 * comparing codes.
 */
export type CloudErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Throttled'
  | 'Forbidden'
  | 'Invalid'
  | 'LimitExceeded'
  | 'Transient';

export interface CloudErrorDetails {
  /** The API action that failed, e.g. `DeleteRole`. */
  action?: string;
  statusCode?: number;
  requestId?: string;
  /** How long the service asked us to wait (Throttled only). */
  retryAfterMs?: number;
  accessDeniedDetail?: Record<string, unknown>;
}

export class CloudError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    /** The service's code, e.g. `EntityNotExist.Role`, or a network error code such as `ECONNREFUSED`. */
    readonly code: string,
    message: string,
    readonly details: CloudErrorDetails = {},
  ) {
    super(message);
    this.name = 'CloudError';
  }

  /** Worth retrying with backoff: throttling, 5xx and network failures. */
  get retryable(): boolean {
    return this.kind === 'Throttled' || this.kind === 'Transient';
  }

  /** The same failure attributed to `action` (when it names none yet). */
  withAction(action: string): CloudError {
    if (this.details.action !== undefined) return this;
    const copy = Object.create(Object.getPrototypeOf(this) as object) as CloudError;
    Object.assign(copy, this, { details: { ...this.details, action } });
    Object.defineProperty(copy, 'message', { value: this.message, enumerable: false, writable: true });
    Object.defineProperty(copy, 'stack', { value: this.stack, enumerable: false, writable: true });
    return copy;
  }
}

/**
 * Service codes the engine acts on by name (everything else is decided by kind). Real RAM answers
 * DeleteRole with this code while a policy is still attached to the role.
 */
export const ServiceCode = {
  RoleHasPolicies: 'DeleteConflict.Role.Policy',
} as const;
export type ServiceCode = (typeof ServiceCode)[keyof typeof ServiceCode];

/**
 * A refusal that only says RAM has not caught up with writes yet (eventual consistency): the same
 * failure, re-kinded `Conflict` so the controller retries it with backoff instead of stalling. `why`
 * says, for people, which lag explains it. Used by the engine where it knows the lag is the only
 * explanation: `EntityAlreadyExists` for an entity it recorded creating, `LimitExceeded` of AccessKeys
 * on a user whose extra keys it deletes, `EntityNotExist` right after its own create.
 */
export function settling(error: CloudError, why: string): CloudError {
  return new CloudError('Conflict', error.code, `${error.message} (${why}; retried)`, error.details);
}

/** Whether `error` is a CloudError, optionally of one kind and with one service code. */
export function isCloudError(error: unknown, kind?: CloudErrorKind, code?: ServiceCode): error is CloudError {
  return (
    error instanceof CloudError &&
    (kind === undefined || error.kind === kind) &&
    (code === undefined || error.code === code)
  );
}

/** GetCallerIdentity named another account than the declared one: the credentials must not be used. */
export class CredentialsAccountMismatchError extends CloudError {
  constructor(
    readonly declaredAccountId: string,
    readonly actualAccountId: string,
    callerArn: string,
  ) {
    super(
      'Forbidden',
      'CredentialsAccountMismatch',
      `The credentials belong to account ${actualAccountId} (${callerArn}), not to the declared account ${declaredAccountId}`,
      { action: 'GetCallerIdentity' },
    );
    this.name = 'CredentialsAccountMismatchError';
  }
}

/** No credentials could be obtained for an identity (nothing configured, or the source refused). */
export class CredentialsUnavailableError extends CloudError {
  constructor(message: string) {
    super('Forbidden', 'CredentialsUnavailable', message);
    this.name = 'CredentialsUnavailableError';
  }
}

/** The service answered with something we cannot read (not JSON, a missing field, a looping marker). */
export class MalformedResponseError extends CloudError {
  constructor(action: string, what: string) {
    super('Transient', 'MalformedResponse', `${action}: ${what}`, { action });
    this.name = 'MalformedResponseError';
  }
}

/** A response without a field every answer of `action` must carry. */
export function missingField(action: string, field: string): MalformedResponseError {
  return new MalformedResponseError(action, `the response has no ${field}`);
}

/**
 * Resolves undefined when the entity is already gone (any NotFound, i.e. `EntityNotExist.*`): for reads
 * of things that may not exist, and for deletions, where "already gone" means "done".
 */
export async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** Deletes, detaches and removals: "already gone" (`EntityNotExist.*`) is success. */
export async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  await orUndefined(work);
}

/** Attachments and memberships: "already attached" (`EntityAlreadyExists.*`) is success. */
export async function ignoreExisting(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (isCloudError(error, 'AlreadyExists')) return;
    throw error;
  }
}
