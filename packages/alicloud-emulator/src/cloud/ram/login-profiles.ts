/**
 * Console login of RAM users: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
 * DeleteLoginProfile. Passwords must comply with the account's password policy
 * (InvalidParameter.Password.TooWeak otherwise) and are kept only as a digest.
 */
import { createHash } from 'node:crypto';
import { entityAlreadyExists, entityNotExist } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { LoginProfile, User } from '../model.js';
import { onEntity, type ActionContext, type ActionTable } from './action.js';
import { getUser } from './lookup.js';
import { checkPassword } from './password-policy.js';

/** Checks the password against the account's policy and returns its digest. */
function passwordDigest(ctx: ActionContext, password: string): string {
  checkPassword(ctx.account.settings.passwordPolicy, password);
  return createHash('sha256').update(password).digest('hex');
}

function profileOf(user: User): LoginProfile {
  if (!user.loginProfile)
    throw entityNotExist('User.LoginProfile', `The login profile of the user not exists: ${user.userName}.`);
  return user.loginProfile;
}

function view(user: User, profile: LoginProfile): Record<string, unknown> {
  return {
    LoginProfile: {
      UserName: user.userName,
      PasswordResetRequired: profile.passwordResetRequired,
      MFABindRequired: profile.mfaBindRequired,
      CreateDate: isoSeconds(profile.createDate),
    },
  };
}

function createLoginProfile(ctx: ActionContext): Record<string, unknown> {
  const user = getUser(ctx.account, ctx.params.required('UserName'));
  const digest = passwordDigest(ctx, ctx.params.required('Password'));
  if (user.loginProfile)
    throw entityAlreadyExists(
      'User.LoginProfile',
      `The login profile of the user already exists: ${user.userName}.`,
    );
  user.loginProfile = {
    createDate: ctx.now,
    passwordDigest: digest,
    passwordResetRequired: ctx.params.bool('PasswordResetRequired') ?? false,
    mfaBindRequired: ctx.params.bool('MFABindRequired') ?? false,
  };
  return view(user, user.loginProfile);
}

function updateLoginProfile(ctx: ActionContext): Record<string, unknown> {
  const user = getUser(ctx.account, ctx.params.required('UserName'));
  const profile = profileOf(user);
  const password = ctx.params.optional('Password');
  const digest = password === undefined ? undefined : passwordDigest(ctx, password);
  if (digest !== undefined) profile.passwordDigest = digest;
  profile.passwordResetRequired = ctx.params.bool('PasswordResetRequired') ?? profile.passwordResetRequired;
  profile.mfaBindRequired = ctx.params.bool('MFABindRequired') ?? profile.mfaBindRequired;
  return {};
}

export const LOGIN_PROFILE_ACTIONS: ActionTable = {
  CreateLoginProfile: onEntity('ram:CreateLoginProfile', 'user', 'UserName', createLoginProfile),
  GetLoginProfile: onEntity('ram:GetLoginProfile', 'user', 'UserName', (ctx) => {
    const user = getUser(ctx.account, ctx.params.required('UserName'));
    return view(user, profileOf(user));
  }),
  UpdateLoginProfile: onEntity('ram:UpdateLoginProfile', 'user', 'UserName', updateLoginProfile),
  DeleteLoginProfile: onEntity('ram:DeleteLoginProfile', 'user', 'UserName', (ctx) => {
    const user = getUser(ctx.account, ctx.params.required('UserName'));
    profileOf(user);
    delete user.loginProfile;
    return {};
  }),
};
