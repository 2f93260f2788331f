/**
 * The account alias: GetAccountAlias, SetAccountAlias, ClearAccountAlias. Until one is set the account id
 * serves as the alias, so RAM users sign in as `<user>@<account id>.onaliyun.com`; a set alias replaces
 * the id in that domain. An alias is 3-32 characters of lower-case letters, digits and single inner
 * hyphens (`InvalidParameter.AccountAlias.Length` / `.Format`, 400) and, being a domain, belongs to one
 * account at a time (`EntityAlreadyExists.AccountAlias`, 409).
 */
import { entityAlreadyExists, invalidParameter } from '../errors.js';
import type { Account, World } from '../model.js';
import { onAccount, type ActionTable } from './action.js';

const MIN_LENGTH = 3;
const MAX_LENGTH = 32;
const FORMAT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The alias as GetAccountAlias reports it: the set one, else the account id. */
export function accountAlias(account: Account): string {
  return account.settings.accountAlias ?? account.accountId;
}

/** The sign-in name of a RAM user: `<user>@<alias>.onaliyun.com`. */
export function userPrincipalName(account: Account, userName: string): string {
  return `${userName}@${accountAlias(account)}.onaliyun.com`;
}

function checkAlias(world: World, account: Account, alias: string): string {
  if (alias.length < MIN_LENGTH || alias.length > MAX_LENGTH) {
    throw invalidParameter(
      'AccountAlias.Length',
      `The parameter - "AccountAlias" MUST be in the range of ${MIN_LENGTH} and ${MAX_LENGTH}.`,
    );
  }
  if (!FORMAT.test(alias)) {
    throw invalidParameter(
      'AccountAlias.Format',
      'The format of parameter - "AccountAlias" is incorrect: lower-case letters, digits and single inner hyphens.',
    );
  }
  for (const other of world.accounts.values()) {
    if (other !== account && (other.settings.accountAlias === alias || other.accountId === alias))
      throw entityAlreadyExists('AccountAlias', `The account alias does already exist: ${alias}.`);
  }
  return alias;
}

export const ACCOUNT_ALIAS_ACTIONS: ActionTable = {
  GetAccountAlias: onAccount('ram:GetAccountAlias', (ctx) => ({ AccountAlias: accountAlias(ctx.account) })),
  SetAccountAlias: onAccount('ram:SetAccountAlias', (ctx) => {
    const alias = checkAlias(ctx.world, ctx.account, ctx.params.required('AccountAlias'));
    ctx.account.settings.accountAlias = alias;
    return {};
  }),
  ClearAccountAlias: onAccount('ram:ClearAccountAlias', (ctx) => {
    ctx.account.settings.accountAlias = undefined;
    return {};
  }),
};
