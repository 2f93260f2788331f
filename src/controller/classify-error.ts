import { Reason } from '../api/constants.js';
import { isCloudError, type CloudError } from '../alicloud/errors.js';
import { ApplyError } from '../delegation/run-phased.js';
import { RevocationBlockedError } from '../delegation/engine.js';
import { TerminalError } from './errors.js';
import { httpStatusOf } from './kube-clients.js';

/**
 * Whether a failed pass is worth retrying, and what the status should say. Terminal failures (the spec,
 * the credentials or a quota must change) set Stalled and wait for a change or the next resync: retrying
 * them hot would only hammer RAM. Retryable ones (throttling, 5xx, network, races) back off per key.
 */
export interface ClassifiedError {
  retryable: boolean;
  reason: Reason;
  message: string;
  /** The least time to wait, when the service said so (`x-acs-retry-after`). */
  retryAfterMs?: number;
}

/** Decides on types only: the controller's own errors, the engine's, the cloud's kind, an HTTP status. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof ApplyError) {
    const inner = classifyError(error.cause);
    return { ...inner, message: `${error.failed.description}: ${inner.message}` };
  }
  if (error instanceof TerminalError)
    return { retryable: false, reason: error.reason, message: error.message };
  if (error instanceof RevocationBlockedError)
    return { retryable: false, reason: error.blocked.reason, message: error.message };
  if (isCloudError(error)) return classifyCloudError(error);
  const status = httpStatusOf(error);
  if (status === 409 || status === 429 || (status !== undefined && status >= 500)) {
    return { retryable: true, reason: Reason.TransientError, message: `Kubernetes API answered ${status}` };
  }
  return {
    retryable: true,
    reason: Reason.TransientError,
    message: error instanceof Error ? error.message : String(error),
  };
}

function classifyCloudError(error: CloudError): ClassifiedError {
  const message = `${error.code}: ${error.message}`;
  switch (error.kind) {
    case 'Throttled':
      return {
        retryable: true,
        reason: Reason.Throttled,
        message,
        ...(error.details.retryAfterMs !== undefined ? { retryAfterMs: error.details.retryAfterMs } : {}),
      };
    case 'Transient':
    case 'NotFound':
    case 'AlreadyExists':
    case 'Conflict':
      // Races with another writer or an eventually consistent read: the next pass sees the new state.
      return { retryable: true, reason: Reason.TransientError, message };
    case 'Forbidden':
      return { retryable: false, reason: Reason.PermissionDenied, message };
    case 'LimitExceeded':
      return { retryable: false, reason: Reason.LimitExceeded, message };
    case 'Invalid':
      return { retryable: false, reason: Reason.InvalidSpec, message };
  }
}
