import { ApiException } from '@kubernetes/client-node';
import { Reason } from '../api/constants.js';
import { isCloudError, type CloudError } from '../alicloud/errors.js';
import { ApplyError } from '../delegation/run-phased.js';
import { RevocationBlockedError } from '../delegation/engine.js';
import { CredentialsError, TerminalError } from './errors.js';
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
  /** Terminal, but what would end it is not watched (a credential Secret not created yet): look sooner. */
  unwatched?: true;
}

/** Decides on types only: the controller's own errors, the engine's, the cloud's kind, an HTTP status. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof ApplyError) {
    const inner = classifyError(error.cause);
    return { ...inner, message: `${error.failed.description}: ${inner.message}` };
  }
  if (error instanceof TerminalError)
    return {
      retryable: false,
      reason: error.reason,
      message: error.message,
      ...(error instanceof CredentialsError && error.secretAbsent ? { unwatched: true as const } : {}),
    };
  if (error instanceof RevocationBlockedError)
    return { retryable: false, reason: error.blocked.reason, message: error.message };
  if (isCloudError(error)) return classifyCloudError(error);
  const kube = classifyKubeStatus(error);
  if (kube) return kube;
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

/**
 * A failed Kubernetes API call, by its HTTP status, as controller-runtime's clients treat them:
 *
 * - 409 (a stale resourceVersion, or the object already exists), 410 (a watch or list too old),
 *   429 (the API server's priority and fairness) and 5xx: a retry can succeed, with backoff
 *   (429 honours `Retry-After`).
 * - 401 and 403: the operator's ServiceAccount lacks a permission (`PermissionDenied`).
 * - Any other 4xx (400, 404, 422, ...): the request itself is refused, and sending it again answers the
 *   same; a terminal failure (Stalled) instead of a retry without end. Example: 422 on adding a
 *   finalizer to an object that is already being deleted.
 *
 * Undefined for errors that carry no HTTP status (network failures and the rest).
 */
function classifyKubeStatus(error: unknown): ClassifiedError | undefined {
  const status = httpStatusOf(error);
  if (status === undefined || status < 400) return undefined;
  const message = `Kubernetes API answered ${status}${statusMessage(error)}`;
  if (status === 409 || status === 410 || status === 429 || status >= 500) {
    const retryAfterMs = retryAfterOf(error);
    return {
      retryable: true,
      reason: Reason.TransientError,
      message,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status === 401 || status === 403) return { retryable: false, reason: Reason.PermissionDenied, message };
  return { retryable: false, reason: Reason.InvalidSpec, message };
}

/** `: <Status.message>` from the answer's body, when it has one. */
function statusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) return '';
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return '';
    }
  }
  const text = (body as { message?: unknown } | null)?.message;
  return typeof text === 'string' && text !== '' ? `: ${text}` : '';
}

/** The `Retry-After` header in milliseconds (seconds on the wire), when the server sent one. */
function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const header = (error.headers as Record<string, string | undefined> | undefined)?.['retry-after'];
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
