/**
 * The account-wide settings half of {@link RamPort}: the account alias (the domain RAM users sign in
 * under) and the password policy console passwords must satisfy.
 */
import type { RamPort } from './ports.js';
import { ramCall, type RamContext } from './ram-support.js';

type AccountOperations = Pick<RamPort, 'getAccountAlias' | 'getPasswordPolicy'>;

/** How long a port remembers the alias: a status shows it, and it changes about never. */
const ACCOUNT_ALIAS_TTL_MS = 10 * 60_000;

export function accountOperations(ctx: RamContext, now: () => number = Date.now): AccountOperations {
  let alias: { value: Promise<string>; until: number } | undefined;
  return {
    getAccountAlias() {
      if (alias && now() < alias.until) return alias.value;
      const value = ramCall(ctx, 'GetAccountAlias', 'read', () => ctx.client.getAccountAlias()).then(
        (response) => response.body?.accountAlias || ctx.call.accountId,
      );
      const remembered = { value, until: now() + ACCOUNT_ALIAS_TTL_MS };
      alias = remembered;
      // A failed lookup is not remembered.
      value.catch(() => {
        if (alias === remembered) alias = undefined;
      });
      return value;
    },

    async getPasswordPolicy() {
      const response = await ramCall(ctx, 'GetPasswordPolicy', 'read', () => ctx.client.getPasswordPolicy());
      const policy = response.body?.passwordPolicy;
      return {
        minimumLength: policy?.minimumPasswordLength ?? 8,
        requireLowercase: policy?.requireLowercaseCharacters === true,
        requireUppercase: policy?.requireUppercaseCharacters === true,
        requireNumbers: policy?.requireNumbers === true,
        requireSymbols: policy?.requireSymbols === true,
      };
    },
  };
}
