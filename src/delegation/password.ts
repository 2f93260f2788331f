import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/**
 * A Console user's initial password: 24 characters from a CSPRNG with at least one upper-case letter,
 * lower-case letter, digit and symbol (RAM's strongest password policy asks for all four), without
 * look-alike characters. The user must change it at first sign-in (PasswordResetRequired).
 */
export function generatePassword(length = 24, pick: (max: number) => number = randomInt): string {
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[pick(set.length)]!);
  while (chars.length < length) chars.push(ALL[pick(ALL.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
