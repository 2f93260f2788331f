import type { CloudBackend, RequestContext } from '../contract.js';
import { asApiError, renderOpenApiError, type ErrorLog } from './error-rendering.js';
import type { FaultInjector } from './fault-injector.js';
import { authenticateOpenApiCall } from './openapi-authentication.js';
import type { ReplayGuard } from './replay-guard.js';
import { headerValue, jsonResponse, type WireRequest, type WireResponse } from './wire-types.js';

export interface ServiceRouteDeps {
  backend: CloudBackend;
  replay: ReplayGuard;
  faults: FaultInjector;
  log: ErrorLog;
}

const PRODUCT_NAMES = { ram: 'Ram', sts: 'Sts' } as const;

/**
 * Serves one RAM or STS call: authenticate, count it for the signer's account, let the fault injector
 * answer if it wants to, then run the action on the cloud model. The answer is the model's result plus
 * `RequestId`, or the JSON error.
 */
export function serveOpenApi(request: WireRequest, deps: ServiceRouteDeps): WireResponse {
  const hostId = headerValue(request.headers, 'host') ?? 'ram.aliyuncs.com';
  let productName = 'Ram';
  let where = 'request authentication';
  try {
    const call = authenticateOpenApiCall(request, deps);
    productName = PRODUCT_NAMES[call.product];
    where = `${call.product}.${call.action}`;
    deps.backend.recordSignedCall(call.identity.principal, call.product, call.action, request.receivedAt);
    const fault = deps.faults.decide(call.identity.principal.accountId, request.receivedAt.getTime());
    if (fault !== undefined) throw fault;
    const context: RequestContext = {
      principal: call.identity.principal,
      params: call.params,
      sourceIp: request.sourceIp,
      secureTransport: request.secureTransport,
      now: request.receivedAt,
      requestId: request.requestId,
    };
    const result = deps.backend.handle(call.product, call.action, context);
    return jsonResponse(200, { RequestId: request.requestId, ...result });
  } catch (error) {
    const apiError = asApiError(error, deps.log, where, request.requestId);
    return renderOpenApiError(apiError, request.requestId, hostId, productName);
  }
}
