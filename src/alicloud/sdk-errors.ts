/**
 * Maps whatever an official Alibaba Cloud SDK call throws onto the one {@link CloudError} taxonomy.
 *
 * What the SDKs throw (`@alicloud/openapi-core` 1.x): `ThrottlingError` when the service's code contains
 * "Throttling" (with `retryAfter`, the `x-acs-retry-after` header in milliseconds), `ClientError` for other
 * 4xx answers (with `accessDeniedDetail`), `ServerError` for 5xx; all carry `code`, `statusCode`,
 * `requestId` and `data` (the parsed error body). Network failures surface as Node errors with a `code`
 * such as `ECONNREFUSED`, timeouts as `RequestTimeoutError`, and a non-JSON error body (a proxy's HTML
 * page, a truncated answer) as a bare `SyntaxError` from the JSON parser.
 *
 * Messages are built from the service's own message and the action only: never from the request,
 * which could carry a secret.
 */
import { CloudError, MalformedResponseError, type CloudErrorKind } from './errors.js';

/** Service codes (and code prefixes) that decide the kind, checked in order: credential problems first. */
const PREFIX_RULES: readonly (readonly [prefix: string, kind: CloudErrorKind])[] = [
  ['InvalidAccessKeyId', 'Forbidden'],
  ['InvalidSecurityToken', 'Forbidden'],
  ['SignatureDoesNotMatch', 'Forbidden'],
  ['IncompleteSignature', 'Forbidden'],
  ['InvalidCredentials', 'Forbidden'],
  ['EntityNotExist', 'NotFound'],
  ['EntityAlreadyExists', 'AlreadyExists'],
  ['DeleteConflict', 'Conflict'],
  ['NoPermission', 'Forbidden'],
  ['Forbidden', 'Forbidden'],
  ['NotAuthorized', 'Forbidden'],
  // The EventBridge data plane's own codes; its SDK's errors carry no HTTP status.
  ['AccessDenied', 'Forbidden'],
  ['EventBusNotExist', 'NotFound'],
  ['InvalidParameter', 'Invalid'],
  ['MalformedPolicyDocument', 'Invalid'],
  ['Missing', 'Invalid'],
  ['InvalidAction', 'Invalid'],
  ['LimitExceeded', 'LimitExceeded'],
  ['QuotaExceeded', 'LimitExceeded'],
  ['InternalError', 'Transient'],
  ['ServiceUnavailable', 'Transient'],
  ['SignatureNonceUsed', 'Transient'],
];

/** Node network error codes: the request may or may not have reached the service; retrying is safe for a level-based caller. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The kind a service code maps to, or undefined when the code alone does not tell. A rule matches the
 * code itself and every code that starts with it (`EntityNotExist.Role.Policy`, `Throttling.User`).
 */
export function kindForServiceCode(code: string): CloudErrorKind | undefined {
  // The SDK itself calls anything containing "Throttling" a ThrottlingError; agree with it.
  if (code.includes('Throttling')) return 'Throttled';
  for (const [prefix, kind] of PREFIX_RULES) {
    if (code.startsWith(prefix)) return kind;
  }
  return undefined;
}

/** The kind an HTTP status implies when the code is unknown. */
function kindForStatus(statusCode: number | undefined): CloudErrorKind | undefined {
  if (statusCode === undefined) return undefined;
  if (statusCode >= 500 || statusCode === 408) return 'Transient';
  if (statusCode === 429) return 'Throttled';
  if (statusCode === 404) return 'NotFound';
  if (statusCode === 409) return 'Conflict';
  if (statusCode === 401 || statusCode === 403) return 'Forbidden';
  if (statusCode >= 400) return 'Invalid';
  return undefined;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  accessDeniedDetail?: unknown;
  data?: unknown;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== 'undefined' ? value : undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Removes query strings from a low-level error text. The SDKs put every request parameter in the query
 * (a login profile's Password, a policy document), and httpx's timeout messages quote the request path
 * or URL: without this, a timed-out CreateLoginProfile would leak the password into a status message.
 */
export function redactQueries(text: string): string {
  return text.replace(/\?[^\s]*/g, '?[redacted]');
}

/** The service's message without the SDK's `code: 404, ... request id: ...` decoration. */
function serviceMessage(error: SdkErrorShape): string {
  const data = asRecord(error.data);
  const fromBody = asString(data?.Message) ?? asString(data?.message);
  if (fromBody) return fromBody;
  const raw = asString(error.message) ?? '';
  return raw.replace(/^[^:]*: code: \d+, /, '').replace(/ request id: \S*$/, '');
}

/**
 * Converts anything an SDK call threw into a CloudError. A CloudError passes through unchanged (e.g. one
 * raised by a credentials provider while signing). Unknown non-SDK failures are Transient: the controller
 * backs off and the error text reaches the status, so a real bug stays visible.
 */
export function toCloudError(error: unknown, action: string): CloudError {
  if (error instanceof CloudError) return error.withAction(action);
  return recognizedFailure(error, action) ?? unrecognizedFailure(error, action);
}

/**
 * The CloudError for a failure this module recognizes: a malformed body, a timeout, a network error or an
 * answer of the service (with its code). Undefined for anything else, e.g. a library's own plain Error.
 */
export function recognizedFailure(error: unknown, action: string): CloudError | undefined {
  const shape: SdkErrorShape = asRecord(error) ?? {};
  const name = asString(shape.name);
  const code = asString(shape.code);
  const statusCode = asNumber(shape.statusCode);
  const requestId = asString(shape.requestId) ?? asString(asRecord(shape.data)?.RequestId);

  if (error instanceof SyntaxError) {
    return new MalformedResponseError(action, 'the service answered with a body that is not JSON');
  }
  if (name === 'RequestTimeoutError' || name?.endsWith('RequestTimeoutError')) {
    return new CloudError(
      'Transient',
      'RequestTimeout',
      `${action}: ${redactQueries(asString(shape.message) ?? 'request timed out')}`,
      { action },
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new CloudError('Transient', code, `${action}: network error ${code}`, { action });
  }

  const isServiceError =
    name === 'ThrottlingError' ||
    name === 'ClientError' ||
    name === 'ServerError' ||
    statusCode !== undefined;
  if (code === undefined || !isServiceError) return undefined;
  const kind = kindForServiceCode(code) ?? kindForStatus(statusCode) ?? 'Transient';
  const retryAfterMs = kind === 'Throttled' ? asNumber(shape.retryAfter) : undefined;
  const accessDeniedDetail = asRecord(shape.accessDeniedDetail);
  return new CloudError(kind, code, `${action}: ${code}: ${serviceMessage(shape)}`, {
    action,
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(accessDeniedDetail !== undefined ? { accessDeniedDetail } : {}),
  });
}

/** Older SDKs (EventBridge's) throw plain errors with a service code and no status; anything else lands here too. */
function unrecognizedFailure(error: unknown, action: string): CloudError {
  const shape: SdkErrorShape = asRecord(error) ?? {};
  const code = asString(shape.code);
  const statusCode = asNumber(shape.statusCode);
  const kind =
    (code !== undefined ? kindForServiceCode(code) : undefined) ?? kindForStatus(statusCode) ?? 'Transient';
  const message = redactQueries(error instanceof Error ? error.message : String(error));
  return new CloudError(kind, code ?? asString(shape.name) ?? 'UnknownError', `${action}: ${message}`, {
    action,
    ...(statusCode !== undefined ? { statusCode } : {}),
  });
}
