/**
 * RAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers. At most 5000 users per account.
 * RAM does not cascade user deletion: AccessKeys, the login profile, a bound MFA device, attached
 * policies and group memberships must all be removed first (DeleteConflict.User.*).
 */
import { deleteConflict, entityAlreadyExists, limitExceeded } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { Account, User } from '../model.js';
import { checkLength, checkName } from '../names.js';
import { onAccount, onEntity, type ActionContext, type ActionTable } from './action.js';
import { getUser } from './lookup.js';
import { pageFields, paginate } from './pagination.js';

const MAX_USERS = 5000;

function userView(user: User): Record<string, unknown> {
  return {
    UserId: user.userId,
    UserName: user.userName,
    DisplayName: user.displayName,
    Email: user.email,
    MobilePhone: user.mobilePhone,
    Comments: user.comments,
    CreateDate: isoSeconds(user.createDate),
    UpdateDate: isoSeconds(user.updateDate),
  };
}

/** The AccessKeys a user owns. */
export function userAccessKeys(ctx: Pick<ActionContext, 'world'>, account: Account, user: User) {
  return [...ctx.world.accessKeys.values()].filter(
    (k) => k.accountId === account.accountId && k.userId === user.userId,
  );
}

/** The groups a user belongs to. */
export function userGroups(account: Account, user: User) {
  return [...account.groups.values()].filter((g) => g.members.has(user.userId));
}

function createUser(ctx: ActionContext): Record<string, unknown> {
  const { account, params } = ctx;
  const userName = checkName('user', params.required('UserName'));
  const displayName = checkLength('DisplayName', params.optional('DisplayName'), 128) || userName;
  const comments = checkLength('Comments', params.optional('Comments'), 128);
  if (account.users.has(userName)) throw entityAlreadyExists('User', `The user already exists: ${userName}.`);
  if (account.users.size >= MAX_USERS)
    throw limitExceeded('User', `An account can have at most ${MAX_USERS} users.`);
  const user: User = {
    userId: ctx.ids.digits(16),
    userName,
    displayName,
    email: params.optional('Email') ?? '',
    mobilePhone: params.optional('MobilePhone') ?? '',
    comments,
    createDate: ctx.now,
    updateDate: ctx.now,
    attachments: [],
  };
  account.users.set(userName, user);
  const { UpdateDate: _omitted, ...view } = userView(user);
  return { User: view };
}

function updateUser(ctx: ActionContext): Record<string, unknown> {
  const { account, params } = ctx;
  const user = getUser(account, params.required('UserName'));
  const newName = params.optional('NewUserName');
  if (newName !== undefined && newName !== user.userName) {
    checkName('user', newName, 'NewUserName');
    if (account.users.has(newName)) throw entityAlreadyExists('User', `The user already exists: ${newName}.`);
  }
  const displayName = params.optional('NewDisplayName');
  checkLength('NewDisplayName', displayName, 128);
  const comments = params.present('NewComments');
  checkLength('NewComments', comments, 128);
  if (newName !== undefined && newName !== user.userName) {
    account.users.delete(user.userName);
    user.userName = newName;
    account.users.set(newName, user);
  }
  if (displayName !== undefined) user.displayName = displayName;
  if (comments !== undefined) user.comments = comments;
  const email = params.present('NewEmail');
  if (email !== undefined) user.email = email;
  const phone = params.present('NewMobilePhone');
  if (phone !== undefined) user.mobilePhone = phone;
  user.updateDate = ctx.now;
  return { User: userView(user) };
}

function deleteUser(ctx: ActionContext): Record<string, unknown> {
  const { account } = ctx;
  const user = getUser(account, ctx.params.required('UserName'));
  const name = user.userName;
  if (userAccessKeys(ctx, account, user).length > 0)
    throw deleteConflict('User.AccessKey', `The user still has AccessKeys: ${name}.`);
  if (user.loginProfile)
    throw deleteConflict('User.LoginProfile', `The user still has a login profile: ${name}.`);
  if (user.mfaSerialNumber)
    throw deleteConflict('User.MFADevice', `The user still has a bound MFA device: ${name}.`);
  if (user.attachments.length > 0)
    throw deleteConflict('User.Policy', `The user still has attached policies: ${name}.`);
  if (userGroups(account, user).length > 0)
    throw deleteConflict('User.Group', `The user still belongs to groups: ${name}.`);
  account.users.delete(name);
  return {};
}

function listUsers(ctx: ActionContext): Record<string, unknown> {
  const page = paginate([...ctx.account.users.values()], ctx.params);
  return { Users: { User: page.items.map(userView) }, ...pageFields(page) };
}

export const USER_ACTIONS: ActionTable = {
  CreateUser: onEntity('ram:CreateUser', 'user', 'UserName', createUser),
  GetUser: onEntity('ram:GetUser', 'user', 'UserName', (ctx) => ({
    User: userView(getUser(ctx.account, ctx.params.required('UserName'))),
  })),
  UpdateUser: onEntity('ram:UpdateUser', 'user', 'UserName', updateUser),
  DeleteUser: onEntity('ram:DeleteUser', 'user', 'UserName', deleteUser),
  ListUsers: onAccount('ram:ListUsers', listUsers),
};
