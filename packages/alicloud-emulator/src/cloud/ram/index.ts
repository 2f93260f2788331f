/** Every RAM 2015-05-01 action the emulator serves, by action name, and which of them only read. */
import { ACCESS_KEY_ACTIONS } from './access-keys.js';
import { ACCOUNT_ALIAS_ACTIONS } from './account-alias.js';
import type { ActionTable } from './action.js';
import { ATTACHMENT_ACTIONS } from './attachments.js';
import { DIAGNOSTIC_ACTIONS } from './diagnostics.js';
import { GROUP_ACTIONS } from './groups.js';
import { LOGIN_PROFILE_ACTIONS } from './login-profiles.js';
import { MFA_ACTIONS } from './mfa.js';
import { PASSWORD_POLICY_ACTIONS } from './password-policy.js';
import { POLICY_ACTIONS } from './policies.js';
import { POLICY_VERSION_ACTIONS } from './policy-versions.js';
import { ROLE_ACTIONS } from './roles.js';
import { TAG_ACTIONS } from './tags.js';
import { USER_ACTIONS } from './users.js';

export const RAM_ACTIONS: ActionTable = {
  ...ROLE_ACTIONS,
  ...POLICY_ACTIONS,
  ...POLICY_VERSION_ACTIONS,
  ...ATTACHMENT_ACTIONS,
  ...USER_ACTIONS,
  ...ACCESS_KEY_ACTIONS,
  ...LOGIN_PROFILE_ACTIONS,
  ...MFA_ACTIONS,
  ...GROUP_ACTIONS,
  ...TAG_ACTIONS,
  ...DIAGNOSTIC_ACTIONS,
  ...PASSWORD_POLICY_ACTIONS,
  ...ACCOUNT_ALIAS_ACTIONS,
};

/**
 * True for the actions that only read (Get*, List*, DecodeDiagnosticMessage): they see the account as
 * the consistency model shows it; every other action writes, on the true state.
 */
export function isReadAction(action: string): boolean {
  return /^(Get|List)/.test(action) || action === 'DecodeDiagnosticMessage';
}
