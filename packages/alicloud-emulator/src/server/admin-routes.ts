import { ApiError, type CloudBackend } from '../contract.js';
import { asApiError, renderOpenApiError, type ErrorLog } from './error-rendering.js';
import type { FaultInjector } from './fault-injector.js';
import { modelFaultsOf, updateFaultSettings } from './fault-settings.js';
import type { ReplayGuard } from './replay-guard.js';
import { wireErrors } from './wire-errors.js';
import { headerValue, jsonResponse, type WireRequest, type WireResponse } from './wire-types.js';

/** Every admin route lives under this prefix; none is signed or subject to faults. */
export const ADMIN_PREFIX = '/_emulator/';

export interface AdminDeps {
  backend: CloudBackend;
  faults: FaultInjector;
  replay: ReplayGuard;
  log: ErrorLog;
}

function parseJsonObject(request: WireRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.length === 0 ? '{}' : request.body.toString('utf8'));
  } catch {
    throw new ApiError('MalformedJSON', 400, 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('InvalidParameter.Body', 400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(`InvalidParameter.${field}`, 400, `"${field}" must be a non-empty string.`);
  }
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ApiError(`InvalidParameter.${field}`, 400, `"${field}" must be a string.`);
  return value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('InvalidParameter.Path', 400, `The path segment "${segment}" is not valid.`);
  }
}

/** Routes one admin request; the route table is the path's shape and the method. */
function route(request: WireRequest, deps: AdminDeps): WireResponse {
  const segments = request.path.slice(ADMIN_PREFIX.length).split('/').map(decodeSegment);
  const { method } = request;
  const [first, accountId, collection, busName, leaf] = segments;
  const expect = (allowed: string): void => {
    if (method !== allowed) throw wireErrors.methodNotAllowed(method, request.path);
  };

  if (first === 'faults' && segments.length === 1) {
    if (method === 'GET') return jsonResponse(200, deps.faults.settings);
    expect('PUT');
    deps.faults.settings = updateFaultSettings(deps.faults.settings, parseJsonObject(request));
    deps.backend.setModelFaults(modelFaultsOf(deps.faults.settings));
    return jsonResponse(200, deps.faults.settings);
  }
  if (first === 'reset' && segments.length === 1) {
    expect('POST');
    deps.backend.reset();
    deps.faults.reset();
    deps.replay.clear();
    return { status: 204, headers: {}, body: undefined };
  }
  if (first === 'accounts' && segments.length === 1) {
    expect('POST');
    const body = parseJsonObject(request);
    const account = deps.backend.createAccount(
      requiredString(body, 'accountId'),
      optionalString(body, 'alias'),
    );
    const { accountId: id, accessKeyId, accessKeySecret } = account;
    return jsonResponse(account.created ? 201 : 200, { accountId: id, accessKeyId, accessKeySecret });
  }
  if (first === 'accounts' && accountId !== undefined) {
    // The admin API answers an unknown account 404 on every route. The contract has no existence check
    // of its own; dumpState is the admin method specified to refuse an unknown account with 404.
    if (collection === 'eventbuses') deps.backend.dumpState(accountId);
    if (collection === 'state' && segments.length === 3) {
      expect('GET');
      return jsonResponse(200, deps.backend.dumpState(accountId));
    }
    if (collection === 'calls' && segments.length === 3) {
      expect('GET');
      return jsonResponse(200, { calls: deps.backend.callCounts(accountId) });
    }
    if (collection === 'eventbuses' && segments.length === 3) {
      expect('POST');
      const body = parseJsonObject(request);
      const name = requiredString(body, 'name');
      const region = requiredString(body, 'region');
      deps.backend.createEventBus(accountId, name, region);
      return jsonResponse(201, { accountId, name, region });
    }
    if (collection === 'eventbuses' && busName !== undefined && leaf === 'events' && segments.length === 5) {
      expect('GET');
      return jsonResponse(200, { events: deps.backend.listEvents(accountId, busName) });
    }
  }
  throw wireErrors.notFound(request.path);
}

/**
 * The admin API: create accounts (their root AccessKey) and event buses, read delivered events, an
 * account's RAM state and its signed-call counts (`GET /_emulator/accounts/{id}/calls`), set faults,
 * reset everything. Errors use the OpenAPI error document.
 */
export function serveAdmin(request: WireRequest, deps: AdminDeps): WireResponse {
  try {
    return route(request, deps);
  } catch (error) {
    const apiError = asApiError(
      error,
      deps.log,
      `admin ${request.method} ${request.path}`,
      request.requestId,
    );
    return renderOpenApiError(
      apiError,
      request.requestId,
      headerValue(request.headers, 'host') ?? 'emulator',
      'Emulator',
    );
  }
}
