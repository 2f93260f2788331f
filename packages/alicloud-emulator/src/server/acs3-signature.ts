import type { IncomingHttpHeaders } from 'node:http';
import { acsPercentEncode } from './percent-encoding.js';
import { headerValue } from './wire-types.js';
import { wireErrors } from './wire-errors.js';
import { hmacSha256Hex, sha256Hex } from './signature-compare.js';

/**
 * ACS3-HMAC-SHA256, the signature the official SDKs send by default:
 * `Authorization: ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<h1;h2>,Signature=<hex>`.
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Acs3Authorization {
  algorithm: string;
  accessKeyId: string;
  /** Lower-cased header names, in the order the client listed them. */
  signedHeaders: string[];
  signature: string;
}

/** Parses an ACS3 Authorization header; a malformed one is IncompleteSignature. */
export function parseAcs3Authorization(header: string): Acs3Authorization {
  const space = header.indexOf(' ');
  if (space < 0) throw wireErrors.incompleteSignature('The Authorization header has no credential part.');
  const algorithm = header.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || signedHeaders === undefined || !signature) {
    throw wireErrors.incompleteSignature('Authorization must carry Credential, SignedHeaders and Signature.');
  }
  return {
    algorithm,
    accessKeyId,
    signedHeaders: signedHeaders
      .split(';')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
    signature,
  };
}

/**
 * Checks that the signature covers what the service relies on: the host and every `x-acs-*` header sent
 * (action, version, date, nonce, body hash, security token). An unsigned one could be altered in transit.
 */
export function assertAcs3Coverage(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): void {
  const signed = new Set(signedHeaders);
  if (!signed.has('host')) throw wireErrors.incompleteSignature('SignedHeaders must include host.');
  for (const name of Object.keys(headers)) {
    if (name.startsWith('x-acs-') && !signed.has(name)) {
      throw wireErrors.incompleteSignature(`SignedHeaders must include ${name}.`);
    }
  }
}

/** The canonical query: names and values percent-encoded, sorted by name, `name=value` joined by `&`. */
function canonicalQuery(query: Record<string, string>): string {
  const pairs: [string, string][] = [];
  for (const name in query) pairs.push([acsPercentEncode(name), acsPercentEncode(query[name] ?? '')]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** The canonical URI: the path as sent, with the SDK's normalisations of `+`, `*` and `%7E`. */
function canonicalUri(path: string): string {
  return (path || '/').replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

export interface Acs3SigningInput {
  method: string;
  path: string;
  /** Decoded query parameters (the canonical form re-encodes them). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, as the client claims it in x-acs-content-sha256. */
  payloadHash: string;
}

/** The string the client signed: the algorithm and the hex SHA-256 of the canonical request. */
export function acs3StringToSign(input: Acs3SigningInput): string {
  const names = [...input.signedHeaders].sort();
  let canonicalHeaders = '';
  for (const name of names)
    canonicalHeaders += `${name}:${(headerValue(input.headers, name) ?? '').trim()}\n`;
  const canonicalRequest = [
    input.method,
    canonicalUri(input.path),
    canonicalQuery(input.query),
    canonicalHeaders,
    names.join(';'),
    input.payloadHash,
  ].join('\n');
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** The signature: hex HMAC-SHA256 of the string to sign, keyed by the plain AccessKey secret. */
export function acs3Signature(accessKeySecret: string, stringToSign: string): string {
  return hmacSha256Hex(accessKeySecret, stringToSign);
}
