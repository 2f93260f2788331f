import { ApiError } from '../contract.js';
import { jsonResponse, type WireResponse } from './wire-types.js';
import { wireErrors } from './wire-errors.js';

/** Where unexpected failures are reported: one line per failure, never request parameters. */
export type ErrorLog = (line: string) => void;

/** Engine-generated errors, whose messages name code (properties, identifiers), never request values. */
const ENGINE_ERRORS = new Set(['TypeError', 'ReferenceError']);

/**
 * Describes an unexpected error for the log without anything a client sent: the stack frames, and the
 * message only for engine-generated errors (a model's own message might quote a parameter or a secret).
 */
function describeForLog(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  const headline = ENGINE_ERRORS.has(error.name)
    ? `${error.name}: ${error.message}`
    : `${error.name} (message withheld)`;
  return [headline, ...frames].join('\n');
}

/**
 * Turns anything thrown while serving a request into an ApiError. An ApiError passes through; anything
 * else is a bug in the emulator, logged (without request data) and answered 500 InternalError, like the
 * real gateway.
 */
export function asApiError(error: unknown, log: ErrorLog, where: string, requestId: string): ApiError {
  if (error instanceof ApiError) return error;
  log(`emulator: internal error in ${where} (RequestId ${requestId}): ${describeForLog(error)}`);
  return wireErrors.internalError();
}

/** Headers every error carries besides its body: the throttling hint the SDKs read as `retryAfter`. */
function errorHeaders(error: ApiError): Record<string, string> {
  const retryAfter = error.extra.retryAfterMs;
  return retryAfter === undefined ? {} : { 'x-acs-retry-after': String(Math.max(0, Math.ceil(retryAfter))) };
}

/**
 * The OpenAPI (RAM, STS, admin) error document: `{RequestId, HostId, Code, Message, Recommend}` plus
 * `AccessDeniedDetail` when the policy engine explains a denial.
 */
export function renderOpenApiError(
  error: ApiError,
  requestId: string,
  hostId: string,
  product: string,
): WireResponse {
  const document: Record<string, unknown> = {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
  };
  if (error.extra.accessDeniedDetail !== undefined)
    document.AccessDeniedDetail = error.extra.accessDeniedDetail;
  return jsonResponse(error.httpStatus, document, errorHeaders(error));
}

/**
 * The EventBridge data plane's error document. Its SDK reads lower-case `code`, `message` and
 * `requestId`, unlike the OpenAPI products.
 */
export function renderEventBridgeError(error: ApiError, requestId: string): WireResponse {
  const document: Record<string, unknown> = {
    requestId,
    code: error.code,
    message: error.message,
    success: false,
  };
  if (error.extra.accessDeniedDetail !== undefined)
    document.accessDeniedDetail = error.extra.accessDeniedDetail;
  return jsonResponse(error.httpStatus, document, errorHeaders(error));
}
