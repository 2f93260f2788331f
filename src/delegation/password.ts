import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '../alicloud/ports.js';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** RAM refuses console passwords longer than this, whatever the account's policy. */
const MAX_PASSWORD_LENGTH = 32;
/** The length used when the account's policy asks for less. */
const DEFAULT_PASSWORD_LENGTH = 24;

/** The length a password must have under `policy`: at least the default, at most what RAM accepts. */
export function passwordLength(policy: Pick<PasswordPolicy, 'minimumLength'> | undefined): number {
  return Math.min(MAX_PASSWORD_LENGTH, Math.max(DEFAULT_PASSWORD_LENGTH, policy?.minimumLength ?? 0));
}

/**
 * A Console user's initial password that satisfies account B's password policy (GetPasswordPolicy):
 * from a CSPRNG, at least {@link DEFAULT_PASSWORD_LENGTH} characters or the policy's minimum (up to
 * RAM's 32), always with an upper-case letter, a lower-case letter, a digit and a symbol (so every
 * class a policy can require is there), without look-alike characters. The user must change it at first
 * sign-in (PasswordResetRequired).
 */
export function generatePassword(policy?: PasswordPolicy, pick: (max: number) => number = randomInt): string {
  const length = passwordLength(policy);
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[pick(set.length)]!);
  while (chars.length < length) chars.push(ALL[pick(ALL.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
