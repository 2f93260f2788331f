/**
 * The account's password policy for RAM users' console passwords: GetPasswordPolicy, SetPasswordPolicy,
 * and the check CreateLoginProfile/UpdateLoginProfile run. The default is real RAM's: at least 8
 * characters, no character classes required. SetPasswordPolicy replaces the whole policy (an omitted
 * field returns to its default) and refuses a value out of range with
 * `InvalidParameter.<Field>.Range` (400). Passwords are at most 32 characters whatever the policy.
 * Expiry, lockout and reuse settings are stored and reported but not enforced: the emulator has no
 * console logins.
 */
import { invalidParameter } from '../errors.js';
import type { PasswordPolicy } from '../model.js';
import type { Params } from '../params.js';
import { onAccount, type ActionTable } from './action.js';

const MAX_PASSWORD_LENGTH = 32;

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minimumPasswordLength: 8,
  requireLowercaseCharacters: false,
  requireUppercaseCharacters: false,
  requireNumbers: false,
  requireSymbols: false,
  hardExpiry: false,
  maxLoginAttemps: 0,
  maxPasswordAge: 0,
  passwordReusePrevention: 0,
});

/** The integer fields of SetPasswordPolicy and their ranges (as the RAM API reference gives them). */
const RANGES = {
  MinimumPasswordLength: { key: 'minimumPasswordLength', min: 8, max: MAX_PASSWORD_LENGTH },
  MaxLoginAttemps: { key: 'maxLoginAttemps', min: 0, max: 32 },
  MaxPasswordAge: { key: 'maxPasswordAge', min: 0, max: 1095 },
  PasswordReusePrevention: { key: 'passwordReusePrevention', min: 0, max: 24 },
} as const;

const FLAGS = {
  RequireLowercaseCharacters: 'requireLowercaseCharacters',
  RequireUppercaseCharacters: 'requireUppercaseCharacters',
  RequireNumbers: 'requireNumbers',
  RequireSymbols: 'requireSymbols',
  HardExpiry: 'hardExpiry',
} as const;

/** Reads a SetPasswordPolicy request into a complete policy; throws on a value out of range. */
export function passwordPolicyFrom(params: Params): PasswordPolicy {
  const policy: PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY };
  for (const [field, rule] of Object.entries(RANGES)) {
    const value = params.int(field);
    if (value === undefined) continue;
    if (value < rule.min || value > rule.max) {
      throw invalidParameter(
        `${field}.Range`,
        `The parameter - "${field}" MUST be in the range of ${rule.min} and ${rule.max}.`,
      );
    }
    policy[rule.key] = value;
  }
  for (const [field, key] of Object.entries(FLAGS)) {
    const value = params.bool(field);
    if (value !== undefined) policy[key] = value;
  }
  return policy;
}

/** What `password` lacks under `policy`, in words; empty when it complies. */
export function passwordProblems(policy: Readonly<PasswordPolicy>, password: string): string[] {
  const problems: string[] = [];
  if (password.length < policy.minimumPasswordLength)
    problems.push(`at least ${policy.minimumPasswordLength} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`at most ${MAX_PASSWORD_LENGTH} characters`);
  if (policy.requireLowercaseCharacters && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (policy.requireUppercaseCharacters && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (policy.requireNumbers && !/\d/.test(password)) problems.push('a digit');
  if (policy.requireSymbols && !/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}

/** Throws `InvalidParameter.Password.TooWeak` (400) unless `password` complies with `policy`. */
export function checkPassword(policy: Readonly<PasswordPolicy>, password: string): void {
  const problems = passwordProblems(policy, password);
  if (problems.length > 0) {
    throw invalidParameter(
      'Password.TooWeak',
      `The parameter - "Password" is not compliant with the password policy: it needs ${problems.join(', ')}.`,
    );
  }
}

/** The `PasswordPolicy` object of GetPasswordPolicy and SetPasswordPolicy answers. */
function passwordPolicyView(policy: Readonly<PasswordPolicy>): Record<string, unknown> {
  return {
    MinimumPasswordLength: policy.minimumPasswordLength,
    RequireLowercaseCharacters: policy.requireLowercaseCharacters,
    RequireUppercaseCharacters: policy.requireUppercaseCharacters,
    RequireNumbers: policy.requireNumbers,
    RequireSymbols: policy.requireSymbols,
    HardExpiry: policy.hardExpiry,
    MaxLoginAttemps: policy.maxLoginAttemps,
    MaxPasswordAge: policy.maxPasswordAge,
    PasswordReusePrevention: policy.passwordReusePrevention,
  };
}

export const PASSWORD_POLICY_ACTIONS: ActionTable = {
  GetPasswordPolicy: onAccount('ram:GetPasswordPolicy', (ctx) => ({
    PasswordPolicy: passwordPolicyView(ctx.account.settings.passwordPolicy),
  })),
  SetPasswordPolicy: onAccount('ram:SetPasswordPolicy', (ctx) => {
    ctx.account.settings.passwordPolicy = passwordPolicyFrom(ctx.params);
    return { PasswordPolicy: passwordPolicyView(ctx.account.settings.passwordPolicy) };
  }),
};
