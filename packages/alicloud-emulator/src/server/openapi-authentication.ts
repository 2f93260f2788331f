import { productVersions, type CloudBackend, type Product, type SigningIdentity } from '../contract.js';
import {
  ACS3_ALGORITHM,
  acs3Signature,
  acs3StringToSign,
  assertAcs3Coverage,
  parseAcs3Authorization,
} from './acs3-signature.js';
import { emptyParams, parseFormEncoded } from './percent-encoding.js';
import { parseIsoTimestamp, type ReplayGuard } from './replay-guard.js';
import { rpcSignature, rpcStringToSign } from './rpc-signature.js';
import { EMPTY_BODY_SHA256, sha256Hex, signaturesEqual } from './signature-compare.js';
import { wireErrors } from './wire-errors.js';
import { headerValue, type WireRequest } from './wire-types.js';

/** A RAM or STS call whose signature, timestamp and nonce checked out. */
export interface AuthenticatedCall {
  product: Product;
  action: string;
  identity: SigningIdentity;
  /** The action's own parameters: query and form body, without dispatch and signature parameters. */
  params: Record<string, string>;
}

export interface AuthenticationDeps {
  backend: CloudBackend;
  replay: ReplayGuard;
}

/** Parameters that belong to the request envelope (dispatch, v1 signature), not to the action. */
const ENVELOPE_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'SecurityToken',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
]);

function isFormBody(request: WireRequest): boolean {
  const type = headerValue(request.headers, 'content-type');
  return (
    request.body.length > 0 && type !== undefined && type.startsWith('application/x-www-form-urlencoded')
  );
}

/** Resolves product and action: ACS3 names them in headers, v1 in (signed) parameters. */
function dispatchTarget(
  request: WireRequest,
  all: Record<string, string>,
  v1: boolean,
): { product: Product; action: string } {
  const fromHeader = (name: string): string | undefined =>
    v1 ? undefined : headerValue(request.headers, name);
  const action = fromHeader('x-acs-action') ?? all.Action;
  if (!action) throw wireErrors.missingParameter('Action');
  const version = fromHeader('x-acs-version') ?? all.Version;
  if (!version) throw wireErrors.missingParameter('Version');
  const product = productVersions[version];
  if (product === undefined) throw wireErrors.invalidVersion(version);
  return { product, action };
}

/**
 * Authenticates one RAM/STS request, in the real gateway's order: dispatch target, signature form,
 * timestamp window, AccessKey (and STS token) lookup, signature, then nonce. A nonce is recorded only for
 * a correctly signed request, so unauthenticated traffic cannot fill the nonce memory.
 */
export function authenticateOpenApiCall(request: WireRequest, deps: AuthenticationDeps): AuthenticatedCall {
  const query = emptyParams();
  parseFormEncoded(request.rawQuery, query);
  const all = emptyParams();
  Object.assign(all, query);
  if (isFormBody(request)) parseFormEncoded(request.body.toString('utf8'), all);

  const authorization = headerValue(request.headers, 'authorization');
  const v1 = authorization === undefined && all.Signature !== undefined;
  const target = dispatchTarget(request, all, v1);

  let identity: SigningIdentity;
  if (authorization !== undefined) {
    identity = verifyAcs3(request, query, authorization, deps);
  } else if (v1) {
    identity = verifyRpcV1(request, all, deps);
  } else {
    throw wireErrors.missingParameter('Signature');
  }

  const params = emptyParams();
  for (const name in all) if (!ENVELOPE_PARAMS.has(name)) params[name] = all[name] as string;
  return { ...target, identity, params };
}

function verifyAcs3(
  request: WireRequest,
  query: Record<string, string>,
  authorization: string,
  deps: AuthenticationDeps,
): SigningIdentity {
  const auth = parseAcs3Authorization(authorization);
  if (auth.algorithm !== ACS3_ALGORITHM) throw wireErrors.signatureMethodNotSupported(auth.algorithm);
  assertAcs3Coverage(request.headers, auth.signedHeaders);
  const date = headerValue(request.headers, 'x-acs-date');
  if (date === undefined) throw wireErrors.missingParameter('Timestamp');
  const nonce = headerValue(request.headers, 'x-acs-signature-nonce');
  if (nonce === undefined || nonce === '') throw wireErrors.missingParameter('SignatureNonce');
  const claimedHash = headerValue(request.headers, 'x-acs-content-sha256');
  if (claimedHash === undefined)
    throw wireErrors.incompleteSignature('The x-acs-content-sha256 header is missing.');
  const nowMs = request.receivedAt.getTime();
  deps.replay.checkTimestamp(parseIsoTimestamp(date), nowMs);

  const identity = deps.backend.resolveAccessKey(
    auth.accessKeyId,
    headerValue(request.headers, 'x-acs-security-token'),
    request.receivedAt,
  );
  const actualHash = request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body);
  if (claimedHash !== actualHash) throw wireErrors.contentHashDoesNotMatch();
  const stringToSign = acs3StringToSign({
    method: request.method,
    path: request.path,
    query,
    headers: request.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: claimedHash,
  });
  if (!signaturesEqual(acs3Signature(identity.accessKeySecret, stringToSign), auth.signature)) {
    throw wireErrors.signatureDoesNotMatch(stringToSign);
  }
  deps.replay.claimNonce(auth.accessKeyId, nonce, nowMs);
  return identity;
}

function verifyRpcV1(
  request: WireRequest,
  all: Record<string, string>,
  deps: AuthenticationDeps,
): SigningIdentity {
  const method = all.SignatureMethod;
  if (method === undefined) throw wireErrors.missingParameter('SignatureMethod');
  if (method !== 'HMAC-SHA1') throw wireErrors.signatureMethodNotSupported(method);
  if (all.SignatureVersion === undefined) throw wireErrors.missingParameter('SignatureVersion');
  if (all.SignatureVersion !== '1.0') throw wireErrors.incompleteSignature('SignatureVersion must be 1.0.');
  const accessKeyId = all.AccessKeyId;
  if (!accessKeyId) throw wireErrors.missingParameter('AccessKeyId');
  if (all.Timestamp === undefined) throw wireErrors.missingParameter('Timestamp');
  const nonce = all.SignatureNonce;
  if (!nonce) throw wireErrors.missingParameter('SignatureNonce');
  const nowMs = request.receivedAt.getTime();
  deps.replay.checkTimestamp(parseIsoTimestamp(all.Timestamp), nowMs);

  const identity = deps.backend.resolveAccessKey(accessKeyId, all.SecurityToken, request.receivedAt);
  const stringToSign = rpcStringToSign(request.method, all);
  if (!signaturesEqual(rpcSignature(identity.accessKeySecret, stringToSign), all.Signature ?? '')) {
    throw wireErrors.signatureDoesNotMatch(stringToSign);
  }
  deps.replay.claimNonce(accessKeyId, nonce, nowMs);
  return identity;
}
