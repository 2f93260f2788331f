import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from './wire-types.js';
import { hmacSha1Base64 } from './signature-compare.js';

/**
 * The EventBridge data plane's own signature (@alicloud/eventbridge): `authorization: acs:<AK>:<sig>`,
 * where sig is base64 HMAC-SHA1 (keyed by the plain secret) of
 * `METHOD\n<content-md5>\n<content-type>\n<date>\n<x-acs-* headers sorted, name:value\n><path[?query]>`.
 */
export function parseEventBridgeAuthorization(
  header: string,
): { accessKeyId: string; signature: string } | undefined {
  if (!header.startsWith('acs:')) return undefined;
  const rest = header.slice(4);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { accessKeyId: rest.slice(0, colon), signature: rest.slice(colon + 1) };
}

export function eventBridgeStringToSign(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: IncomingHttpHeaders,
): string {
  const acsNames = Object.keys(headers)
    .filter((name) => name.startsWith('x-acs-'))
    .sort();
  let canonicalHeaders = '';
  for (const name of acsNames) {
    canonicalHeaders += `${name}:${(headerValue(headers, name) ?? '').replace(/[\t\n\r\f]/g, ' ').trim()}\n`;
  }
  const queryNames = Object.keys(query).sort();
  const resource =
    queryNames.length === 0
      ? path
      : `${path}?${queryNames.map((name) => `${name}=${query[name]}`).join('&')}`;
  return [
    method.toUpperCase(),
    headerValue(headers, 'content-md5') ?? '',
    headerValue(headers, 'content-type') ?? '',
    headerValue(headers, 'date') ?? '',
    `${canonicalHeaders}${resource}`,
  ].join('\n');
}

export function eventBridgeSignature(accessKeySecret: string, stringToSign: string): string {
  return hmacSha1Base64(accessKeySecret, stringToSign);
}
