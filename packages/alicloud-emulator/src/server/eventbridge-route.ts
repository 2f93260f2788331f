import { ApiError, type CloudEvent, type RequestContext } from '../contract.js';
import { asApiError, renderEventBridgeError } from './error-rendering.js';
import { authenticateEventBridgeCall } from './eventbridge-authentication.js';
import type { ServiceRouteDeps } from './openapi-route.js';
import { emptyParams } from './percent-encoding.js';
import { headerValue, jsonResponse, type WireRequest, type WireResponse } from './wire-types.js';

/** The only EventBridge data-plane action the emulator serves. */
const PUT_EVENTS_PATH = '/openapi/putEvents';

/** The CloudEvents extension naming the target bus. */
const BUS_EXTENSION = 'aliyuneventbusname';

/** The owning account named by a leading 16-digit label of the Host header (`<account>.eventbridge...`). */
export function hostAccountId(host: string | undefined): string | undefined {
  const match = host === undefined ? null : /^(\d{16})\./.exec(host);
  return match?.[1];
}

function invalidArgument(message: string): ApiError {
  return new ApiError('InvalidArgument', 400, message);
}

/** Parses the `application/cloudevents-batch+json` body: a non-empty array of events naming one bus. */
function parseBatch(body: Buffer): { busName: string; events: CloudEvent[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidArgument('The request body is not valid JSON.');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw invalidArgument('The request body must be a non-empty JSON array of CloudEvents.');
  }
  let busName: string | undefined;
  for (const event of parsed as unknown[]) {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw invalidArgument('Every entry must be a CloudEvent object.');
    }
    const bus = (event as Record<string, unknown>)[BUS_EXTENSION];
    if (typeof bus !== 'string' || bus === '') {
      throw invalidArgument(`Every event must name its bus in the "${BUS_EXTENSION}" extension.`);
    }
    if (busName !== undefined && bus !== busName) {
      throw invalidArgument('All events of one PutEvents call must target the same event bus.');
    }
    busName = bus;
  }
  return { busName: busName as string, events: parsed as CloudEvent[] };
}

/**
 * Serves `POST /openapi/putEvents`. The bus owner is the Host header's account label when present;
 * otherwise the cloud model finds the bus by name. Success is `{RequestId, FailedEntryCount, EntryList}`.
 */
export function serveEventBridge(request: WireRequest, deps: ServiceRouteDeps): WireResponse {
  try {
    if (request.path !== PUT_EVENTS_PATH) {
      throw new ApiError(
        'InvalidAction.NotFound',
        404,
        `The EventBridge action at ${request.path} is not supported.`,
      );
    }
    if (request.method !== 'POST') throw new ApiError('MethodNotAllowed', 405, 'PutEvents must be a POST.');
    const identity = authenticateEventBridgeCall(request, deps);
    deps.backend.recordSignedCall(identity.principal, 'eventbridge', 'PutEvents', request.receivedAt);
    const fault = deps.faults.decide(identity.principal.accountId, request.receivedAt.getTime());
    if (fault !== undefined) throw fault;
    const { busName, events } = parseBatch(request.body);
    const context: RequestContext = {
      principal: identity.principal,
      params: emptyParams(),
      sourceIp: request.sourceIp,
      secureTransport: request.secureTransport,
      now: request.receivedAt,
      requestId: request.requestId,
    };
    const owner = hostAccountId(headerValue(request.headers, 'host'));
    const result = deps.backend.putEvents(context, owner, busName, events);
    const document: Record<string, unknown> = { RequestId: request.requestId, ...result };
    if (owner !== undefined) document.ResourceOwnerAccountId = owner;
    return jsonResponse(200, document);
  } catch (error) {
    const apiError = asApiError(error, deps.log, 'eventbridge.PutEvents', request.requestId);
    return renderEventBridgeError(apiError, request.requestId);
  }
}
