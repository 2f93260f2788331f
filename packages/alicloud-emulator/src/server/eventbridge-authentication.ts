import type { CloudBackend, SigningIdentity } from '../contract.js';
import {
  eventBridgeSignature,
  eventBridgeStringToSign,
  parseEventBridgeAuthorization,
} from './eventbridge-signature.js';
import { emptyParams, parseFormEncoded } from './percent-encoding.js';
import { parseHttpDate, type ReplayGuard } from './replay-guard.js';
import { signaturesEqual } from './signature-compare.js';
import { wireErrors } from './wire-errors.js';
import { headerValue, type WireRequest } from './wire-types.js';

/**
 * Authenticates an EventBridge data-plane request (its own `acs:<AK>:<signature>` scheme): the `Date`
 * header within 15 minutes, AccessKey (and STS token from `x-acs-security-token`) lookup, signature,
 * then the `x-acs-signature-nonce`, recorded only for a correctly signed request.
 */
export function authenticateEventBridgeCall(
  request: WireRequest,
  deps: { backend: CloudBackend; replay: ReplayGuard },
): SigningIdentity {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) throw wireErrors.missingParameter('Signature');
  const auth = parseEventBridgeAuthorization(authorization);
  if (auth === undefined)
    throw wireErrors.incompleteSignature('Authorization must be acs:<AccessKeyId>:<Signature>.');
  const method = headerValue(request.headers, 'x-acs-signature-method');
  if (method !== undefined && method !== 'HMAC-SHA1') throw wireErrors.signatureMethodNotSupported(method);
  const date = headerValue(request.headers, 'date');
  if (date === undefined) throw wireErrors.missingParameter('Date');
  const nonce = headerValue(request.headers, 'x-acs-signature-nonce');
  if (!nonce) throw wireErrors.missingParameter('SignatureNonce');
  const nowMs = request.receivedAt.getTime();
  deps.replay.checkTimestamp(parseHttpDate(date), nowMs);

  const tokenKeyId = headerValue(request.headers, 'x-acs-accesskey-id');
  if (tokenKeyId !== undefined && tokenKeyId !== auth.accessKeyId) {
    throw wireErrors.incompleteSignature('x-acs-accesskey-id does not name the signing AccessKey.');
  }
  const identity = deps.backend.resolveAccessKey(
    auth.accessKeyId,
    headerValue(request.headers, 'x-acs-security-token'),
    request.receivedAt,
  );
  const query = emptyParams();
  parseFormEncoded(request.rawQuery, query);
  const stringToSign = eventBridgeStringToSign(request.method, request.path, query, request.headers);
  if (!signaturesEqual(eventBridgeSignature(identity.accessKeySecret, stringToSign), auth.signature)) {
    throw wireErrors.signatureDoesNotMatch(stringToSign);
  }
  deps.replay.claimNonce(auth.accessKeyId, nonce, nowMs);
  return identity;
}
