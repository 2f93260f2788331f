/**
 * Accounts and the resolution of AccessKeys to principals. Account ids are 16 digits; each account gets
 * one root AccessKey when created (re-creating an account returns the same key, `created: false`).
 * STS keys (`STS.` prefix) resolve through their security token; the role behind them is not looked up
 * here: a session whose role has been deleted still authenticates, and is then denied by authorization
 * because the role's policies are gone (NoPermission, ImplicitDeny).
 */
import { ApiError, type SigningIdentity } from '../contract.js';
import { invalidParameter } from './errors.js';
import type { IdSource } from './ids.js';
import type { Account, World } from './model.js';
import { newAccessKey } from './ram/access-keys.js';
import { findUserById } from './ram/lookup.js';
import { DEFAULT_PASSWORD_POLICY } from './ram/password-policy.js';
import type { TokenAuthority } from './sts/tokens.js';

export interface CreatedAccount {
  created: boolean;
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export function createAccount(
  world: World,
  ids: IdSource,
  now: Date,
  accountId: string,
  alias: string | undefined,
): CreatedAccount {
  if (!/^\d{16}$/.test(accountId)) throw invalidParameter('AccountId', 'An account id is 16 digits.');
  const existing = world.accounts.get(accountId);
  if (existing) {
    const key = world.accessKeys.get(existing.rootAccessKeyId);
    if (!key) throw new Error(`account ${accountId} lost its root AccessKey`);
    return { created: false, accountId, accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  }
  let key = newAccessKey(ids, accountId, now);
  while (world.accessKeys.has(key.accessKeyId)) key = newAccessKey(ids, accountId, now);
  const account: Account = {
    accountId,
    alias,
    rootAccessKeyId: key.accessKeyId,
    settings: { passwordPolicy: { ...DEFAULT_PASSWORD_POLICY }, accountAlias: undefined },
    calls: new Map(),
    roles: new Map(),
    policies: new Map(),
    users: new Map(),
    groups: new Map(),
    buses: new Map(),
  };
  world.accounts.set(accountId, account);
  world.accessKeys.set(key.accessKeyId, key);
  return { created: true, accountId, accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
}

const notFound = () => new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');

export function resolveAccessKey(
  world: World,
  tokens: TokenAuthority,
  accessKeyId: string,
  securityToken: string | undefined,
  now: Date,
): SigningIdentity {
  if (accessKeyId.startsWith('STS.')) {
    const { claims, identity } = tokens.verify(accessKeyId, securityToken, now);
    if (!world.accounts.has(claims.acct)) throw notFound();
    return {
      accessKeySecret: identity.accessKeySecret,
      principal: {
        kind: 'assumed-role',
        accountId: claims.acct,
        roleName: claims.role,
        roleId: claims.roleId,
        sessionName: claims.session,
        accessKeyId,
        expiresAt: claims.exp,
        ...(claims.policy ? { sessionPolicy: claims.policy } : {}),
      },
    };
  }
  const key = world.accessKeys.get(accessKeyId);
  const account = key ? world.accounts.get(key.accountId) : undefined;
  if (!key || !account) throw notFound();
  if (key.status !== 'Active')
    throw new ApiError('InvalidAccessKeyId.Inactive', 403, 'Specified access key is disabled.');
  if (key.userId === undefined) {
    return {
      accessKeySecret: key.accessKeySecret,
      principal: { kind: 'root', accountId: account.accountId, accessKeyId },
    };
  }
  const user = findUserById(account, key.userId);
  if (!user) throw notFound();
  return {
    accessKeySecret: key.accessKeySecret,
    principal: {
      kind: 'user',
      accountId: account.accountId,
      userName: user.userName,
      userId: user.userId,
      accessKeyId,
    },
  };
}
