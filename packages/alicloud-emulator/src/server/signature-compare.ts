import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Compares a client's signature with ours in constant time (for equal lengths). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256Hex(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export function hmacSha1Base64(key: string, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64');
}

/** SHA-256 of an empty body, which every RAM/STS request signed by the SDKs carries. */
export const EMPTY_BODY_SHA256 = sha256Hex('');
