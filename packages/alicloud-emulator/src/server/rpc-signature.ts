import { acsPercentEncode } from './percent-encoding.js';
import { hmacSha1Base64 } from './signature-compare.js';

/**
 * The v1 "RPC" signature (HMAC-SHA1), sent by the SDKs configured with `signatureAlgorithm: 'v2'` and by
 * @alicloud/credentials' own STS calls: every query and form parameter except `Signature`, encoded and
 * sorted, forms `METHOD&%2F&<encoded canonical parameters>`, keyed by `<secret>&`.
 */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const pairs: [string, string][] = [];
  for (const name in params) {
    if (name === 'Signature') continue;
    pairs.push([acsPercentEncode(name), acsPercentEncode(params[name] ?? '')]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const canonical = pairs.map(([n, v]) => `${n}=${v}`).join('&');
  return `${method}&${acsPercentEncode('/')}&${acsPercentEncode(canonical)}`;
}

export function rpcSignature(accessKeySecret: string, stringToSign: string): string {
  return hmacSha1Base64(`${accessKeySecret}&`, stringToSign);
}
