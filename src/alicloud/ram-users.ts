/**
 * The user half of {@link RamPort}: users, their AccessKeys (ram-access-keys.ts), login profile, MFA
 * device, policies and group memberships. A login password passes through here and must never be
 * logged: it only appears in the request.
 */
import * as $Ram from '@alicloud/ram20150501';
import type { RamPort, UserInfo } from './ports.js';
import { ignoreMissing, missingField, orUndefined } from './errors.js';
import { collectPages, markerPage, ramCall, type RamContext } from './ram-support.js';
import { principalPolicyOperations } from './ram-principal-policies.js';
import { accessKeyOperations } from './ram-access-keys.js';

type UserOperations = Pick<
  RamPort,
  | 'listUsers'
  | 'getUser'
  | 'createUser'
  | 'updateUser'
  | 'deleteUser'
  | 'listAccessKeys'
  | 'createAccessKey'
  | 'updateAccessKey'
  | 'deleteAccessKey'
  | 'getAccessKeyLastUsed'
  | 'getLoginProfile'
  | 'createLoginProfile'
  | 'updateLoginProfile'
  | 'deleteLoginProfile'
  | 'getUserMfaDevice'
  | 'unbindMfaDevice'
  | 'listPoliciesForUser'
  | 'attachPolicyToUser'
  | 'detachPolicyFromUser'
  | 'listGroupsForUser'
>;

interface SdkUser {
  userName?: string;
  userId?: string;
  displayName?: string;
  comments?: string;
}

function userInfo(action: string, user: SdkUser | undefined): UserInfo {
  if (!user?.userName) throw missingField(action, 'User');
  return {
    userName: user.userName,
    userId: user.userId ?? '',
    displayName: user.displayName ?? '',
    comments: user.comments ?? '',
  };
}

export function userOperations(ctx: RamContext): UserOperations {
  const userPolicies = principalPolicyOperations(ctx, 'User');
  return {
    async listUsers() {
      return collectPages('ListUsers', async (marker) => {
        const request = new $Ram.ListUsersRequest({ maxItems: ctx.pageSize, ...(marker ? { marker } : {}) });
        const response = await ramCall(ctx, 'ListUsers', 'read', () => ctx.client.listUsers(request));
        const users = (response.body?.users?.user ?? []).map((user) => userInfo('ListUsers', user));
        return markerPage(users, response.body?.isTruncated, response.body?.marker);
      });
    },

    async getUser(userName) {
      const request = new $Ram.GetUserRequest({ userName });
      const response = await orUndefined(ramCall(ctx, 'GetUser', 'read', () => ctx.client.getUser(request)));
      return response && userInfo('GetUser', response.body?.user);
    },

    async createUser(input) {
      const request = new $Ram.CreateUserRequest({
        userName: input.userName,
        displayName: input.displayName,
        comments: input.comments,
      });
      const response = await ramCall(ctx, 'CreateUser', 'write', () => ctx.client.createUser(request));
      return userInfo('CreateUser', response.body?.user);
    },

    async updateUser(userName, change) {
      const request = new $Ram.UpdateUserRequest({
        userName,
        ...(change.comments !== undefined ? { newComments: change.comments } : {}),
        ...(change.displayName !== undefined ? { newDisplayName: change.displayName } : {}),
      });
      await ramCall(ctx, 'UpdateUser', 'write', () => ctx.client.updateUser(request));
    },

    async deleteUser(userName) {
      const request = new $Ram.DeleteUserRequest({ userName });
      await ignoreMissing(ramCall(ctx, 'DeleteUser', 'write', () => ctx.client.deleteUser(request)));
    },

    ...accessKeyOperations(ctx),

    async getLoginProfile(userName) {
      const request = new $Ram.GetLoginProfileRequest({ userName });
      const response = await orUndefined(
        ramCall(ctx, 'GetLoginProfile', 'read', () => ctx.client.getLoginProfile(request)),
      );
      if (!response) return undefined;
      const profile = response.body?.loginProfile;
      if (!profile) throw missingField('GetLoginProfile', 'LoginProfile');
      return {
        passwordResetRequired: profile.passwordResetRequired === true,
        mfaBindRequired: profile.MFABindRequired === true,
      };
    },

    async createLoginProfile(userName, input) {
      const request = new $Ram.CreateLoginProfileRequest({
        userName,
        password: input.password,
        passwordResetRequired: input.passwordResetRequired,
        MFABindRequired: input.mfaBindRequired,
      });
      await ramCall(ctx, 'CreateLoginProfile', 'write', () => ctx.client.createLoginProfile(request));
    },

    async updateLoginProfile(userName, input) {
      const request = new $Ram.UpdateLoginProfileRequest({
        userName,
        ...(input.password !== undefined ? { password: input.password } : {}),
        ...(input.passwordResetRequired !== undefined
          ? { passwordResetRequired: input.passwordResetRequired }
          : {}),
        ...(input.mfaBindRequired !== undefined ? { MFABindRequired: input.mfaBindRequired } : {}),
      });
      await ramCall(ctx, 'UpdateLoginProfile', 'write', () => ctx.client.updateLoginProfile(request));
    },

    async deleteLoginProfile(userName) {
      const request = new $Ram.DeleteLoginProfileRequest({ userName });
      await ignoreMissing(
        ramCall(ctx, 'DeleteLoginProfile', 'write', () => ctx.client.deleteLoginProfile(request)),
      );
    },

    async getUserMfaDevice(userName) {
      const request = new $Ram.GetUserMFAInfoRequest({ userName });
      const response = await orUndefined(
        ramCall(ctx, 'GetUserMFAInfo', 'read', () => ctx.client.getUserMFAInfo(request)),
      );
      return response?.body?.MFADevice?.serialNumber || undefined;
    },

    async unbindMfaDevice(userName) {
      const request = new $Ram.UnbindMFADeviceRequest({ userName });
      await ignoreMissing(
        ramCall(ctx, 'UnbindMFADevice', 'write', () => ctx.client.unbindMFADevice(request)),
      );
    },

    listPoliciesForUser: (name) => userPolicies.list(name),
    attachPolicyToUser: (policy, name) => userPolicies.attach(policy, name),
    detachPolicyFromUser: (policy, name) => userPolicies.detach(policy, name),

    async listGroupsForUser(userName) {
      const request = new $Ram.ListGroupsForUserRequest({ userName });
      const response = await ramCall(ctx, 'ListGroupsForUser', 'read', () =>
        ctx.client.listGroupsForUser(request),
      );
      return (response.body?.groups?.group ?? []).flatMap((group) =>
        group.groupName ? [group.groupName] : [],
      );
    },
  };
}
