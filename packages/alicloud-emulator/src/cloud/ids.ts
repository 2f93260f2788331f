/**
 * Identifier and secret generation. Every draw comes from the injected `random` so that a seeded random
 * makes the whole emulator reproducible; nothing here is cryptographically strong, which is fine for a
 * local stand-in (STS tokens are still HMAC-signed with a key drawn from the same source).
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS = '0123456789';

export interface IdSource {
  /** `n` characters of [A-Za-z0-9]. */
  alnum(n: number): string;
  /** `n` decimal digits, the first one non-zero. */
  digits(n: number): string;
  /** `n` random bytes. */
  bytes(n: number): Buffer;
}

export function createIdSource(random: () => number): IdSource {
  const pick = (alphabet: string): string =>
    alphabet.charAt(Math.floor(random() * alphabet.length) % alphabet.length);
  const many = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => pick(alphabet)).join('');
  return {
    alnum: (n) => many(ALNUM, n),
    digits: (n) => pick('123456789') + many(DIGITS, n - 1),
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256) % 256)),
  };
}

/** RAM's timestamp format: ISO 8601 UTC without milliseconds, e.g. `2026-11-23T09:12:02Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
