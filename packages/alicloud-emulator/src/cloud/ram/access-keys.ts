/**
 * RAM users' AccessKeys: CreateAccessKey, DeleteAccessKey, ListAccessKeys, UpdateAccessKey,
 * GetAccessKeyLastUsed. At most 2 per user (LimitExceeded.User.AccessKey). Ids are `LTAI` + 20
 * alphanumerics, secrets 30 alphanumerics; the secret is returned once, by CreateAccessKey, and never
 * again. An Inactive key stops authenticating at once (InvalidAccessKeyId.Inactive, see accounts.ts).
 */
import { entityNotExist, invalidParameter, limitExceeded, missingParameter } from '../errors.js';
import { isoSeconds, type IdSource } from '../ids.js';
import type { AccessKeyRecord, User } from '../model.js';
import { onEntity, type ActionContext, type ActionTable } from './action.js';
import { findUserById, getUser } from './lookup.js';
import { userAccessKeys } from './users.js';

const MAX_ACCESS_KEYS_PER_USER = 2;

export function newAccessKey(ids: IdSource, accountId: string, now: Date, userId?: string): AccessKeyRecord {
  return {
    accessKeyId: `LTAI${ids.alnum(20)}`,
    accessKeySecret: ids.alnum(30),
    accountId,
    ...(userId === undefined ? {} : { userId }),
    status: 'Active',
    createDate: now,
  };
}

/** The user the call is about: `UserName`, or the calling RAM user itself when omitted. */
function targetUser(ctx: ActionContext): User {
  const name = ctx.params.optional('UserName');
  if (name !== undefined) return getUser(ctx.account, name);
  const principal = ctx.request.principal;
  const self = principal.kind === 'user' ? findUserById(ctx.account, principal.userId) : undefined;
  if (!self) throw missingParameter('UserName');
  return self;
}

function findKey(ctx: ActionContext, user: User): AccessKeyRecord {
  const id = ctx.params.required('UserAccessKeyId');
  const key = ctx.world.accessKeys.get(id);
  if (!key || key.accountId !== ctx.account.accountId || key.userId !== user.userId) {
    throw entityNotExist('User.AccessKey', `The AccessKey not exists: ${id}.`);
  }
  return key;
}

function createAccessKey(ctx: ActionContext): Record<string, unknown> {
  const user = targetUser(ctx);
  if (userAccessKeys(ctx, ctx.account, user).length >= MAX_ACCESS_KEYS_PER_USER) {
    throw limitExceeded(
      'User.AccessKey',
      `A user can have at most ${MAX_ACCESS_KEYS_PER_USER} AccessKeys: ${user.userName}.`,
    );
  }
  let key = newAccessKey(ctx.ids, ctx.account.accountId, ctx.now, user.userId);
  while (ctx.world.accessKeys.has(key.accessKeyId))
    key = newAccessKey(ctx.ids, ctx.account.accountId, ctx.now, user.userId);
  ctx.world.accessKeys.set(key.accessKeyId, key);
  return {
    AccessKey: {
      AccessKeyId: key.accessKeyId,
      AccessKeySecret: key.accessKeySecret,
      Status: key.status,
      CreateDate: isoSeconds(key.createDate),
    },
  };
}

function updateAccessKey(ctx: ActionContext): Record<string, unknown> {
  const key = findKey(ctx, targetUser(ctx));
  const status = ctx.params.required('Status');
  if (status !== 'Active' && status !== 'Inactive')
    throw invalidParameter('Status', 'Status must be Active or Inactive.');
  key.status = status;
  return {};
}

/**
 * When the key last signed a call that verified (any service, any outcome). A key never used answers an
 * empty `AccessKeyLastUsed`.
 */
function getAccessKeyLastUsed(ctx: ActionContext): Record<string, unknown> {
  const key = findKey(ctx, targetUser(ctx));
  const lastUsed = ctx.world.accessKeyLastUsed.get(key.accessKeyId);
  return { AccessKeyLastUsed: lastUsed ? { LastUsedDate: isoSeconds(lastUsed) } : {} };
}

export const ACCESS_KEY_ACTIONS: ActionTable = {
  CreateAccessKey: onEntity('ram:CreateAccessKey', 'user', 'UserName', createAccessKey),
  DeleteAccessKey: onEntity('ram:DeleteAccessKey', 'user', 'UserName', (ctx) => {
    const key = findKey(ctx, targetUser(ctx));
    ctx.world.accessKeys.delete(key.accessKeyId);
    ctx.world.accessKeyLastUsed.delete(key.accessKeyId);
    return {};
  }),
  UpdateAccessKey: onEntity('ram:UpdateAccessKey', 'user', 'UserName', updateAccessKey),
  GetAccessKeyLastUsed: onEntity('ram:GetAccessKeyLastUsed', 'user', 'UserName', getAccessKeyLastUsed),
  ListAccessKeys: onEntity('ram:ListAccessKeys', 'user', 'UserName', (ctx) => ({
    AccessKeys: {
      AccessKey: userAccessKeys(ctx, ctx.account, targetUser(ctx)).map((k) => ({
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: isoSeconds(k.createDate),
      })),
    },
  })),
};
