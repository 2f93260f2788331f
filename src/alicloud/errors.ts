/**
 * One error taxonomy for every Alibaba Cloud call, mapped from the SDK's `error.code` / `error.statusCode`.
 * The engine and the controller decide on `kind` only: NotFound and AlreadyExists are facts to act on,
 * Throttled and Transient are retried with backoff, the rest are terminal for the current spec
 * (the delegation goes Stalled until the spec, the credentials or the account changes).
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

export class CloudError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    /** The service's code, e.g. `EntityNotExist.Role`, or a network error code such as `ECONNREFUSED`. */
    readonly code: string,
    message: string,
    readonly details: {
      /** The API action that failed, e.g. `DeleteRole`. */
      action?: string;
      statusCode?: number;
      requestId?: string;
      /** How long the service asked us to wait (Throttled only). */
      retryAfterMs?: number;
      accessDeniedDetail?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = 'CloudError';
  }

  /** Worth retrying with backoff: throttling, 5xx and network failures. */
  get retryable(): boolean {
    return this.kind === 'Throttled' || this.kind === 'Transient';
  }
}

export function isCloudError(error: unknown, kind?: CloudErrorKind): error is CloudError {
  return error instanceof CloudError && (kind === undefined || error.kind === kind);
}
