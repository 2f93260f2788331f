/** The group half of {@link RamPort}: groups, their members and their policies. */
import * as $Ram from '@alicloud/ram20150501';
import type { GroupInfo, RamPort } from './ports.js';
import { ignoreExisting, ignoreMissing, missingField, orUndefined } from './errors.js';
import { collectPages, markerPage, ramCall, type RamContext } from './ram-support.js';
import { principalPolicyOperations } from './ram-principal-policies.js';

type GroupOperations = Pick<
  RamPort,
  | 'listGroups'
  | 'getGroup'
  | 'createGroup'
  | 'updateGroup'
  | 'deleteGroup'
  | 'listUsersForGroup'
  | 'addUserToGroup'
  | 'removeUserFromGroup'
  | 'listPoliciesForGroup'
  | 'attachPolicyToGroup'
  | 'detachPolicyFromGroup'
>;

function groupInfo(action: string, group: { groupName?: string; comments?: string } | undefined): GroupInfo {
  if (!group?.groupName) throw missingField(action, 'Group');
  return { groupName: group.groupName, comments: group.comments ?? '' };
}

export function groupOperations(ctx: RamContext): GroupOperations {
  const groupPolicies = principalPolicyOperations(ctx, 'Group');
  return {
    async listGroups() {
      return collectPages('ListGroups', async (marker) => {
        const request = new $Ram.ListGroupsRequest({ maxItems: ctx.pageSize, ...(marker ? { marker } : {}) });
        const response = await ramCall(ctx, 'ListGroups', 'read', () => ctx.client.listGroups(request));
        const groups = (response.body?.groups?.group ?? []).map((group) => groupInfo('ListGroups', group));
        return markerPage(groups, response.body?.isTruncated, response.body?.marker);
      });
    },

    async getGroup(groupName) {
      const request = new $Ram.GetGroupRequest({ groupName });
      const response = await orUndefined(
        ramCall(ctx, 'GetGroup', 'read', () => ctx.client.getGroup(request)),
      );
      return response && groupInfo('GetGroup', response.body?.group);
    },

    async createGroup(input) {
      const request = new $Ram.CreateGroupRequest({ groupName: input.groupName, comments: input.comments });
      await ramCall(ctx, 'CreateGroup', 'write', () => ctx.client.createGroup(request));
    },

    async updateGroup(groupName, change) {
      const request = new $Ram.UpdateGroupRequest({ groupName, newComments: change.comments });
      await ramCall(ctx, 'UpdateGroup', 'write', () => ctx.client.updateGroup(request));
    },

    async deleteGroup(groupName) {
      const request = new $Ram.DeleteGroupRequest({ groupName });
      await ignoreMissing(ramCall(ctx, 'DeleteGroup', 'write', () => ctx.client.deleteGroup(request)));
    },

    async listUsersForGroup(groupName) {
      return collectPages('ListUsersForGroup', async (marker) => {
        const request = new $Ram.ListUsersForGroupRequest({
          groupName,
          maxItems: ctx.pageSize,
          ...(marker ? { marker } : {}),
        });
        const response = await ramCall(ctx, 'ListUsersForGroup', 'read', () =>
          ctx.client.listUsersForGroup(request),
        );
        const names = (response.body?.users?.user ?? []).flatMap((user) =>
          user.userName ? [user.userName] : [],
        );
        return markerPage(names, response.body?.isTruncated, response.body?.marker);
      });
    },

    async addUserToGroup(userName, groupName) {
      const request = new $Ram.AddUserToGroupRequest({ userName, groupName });
      await ignoreExisting(ramCall(ctx, 'AddUserToGroup', 'write', () => ctx.client.addUserToGroup(request)));
    },

    async removeUserFromGroup(userName, groupName) {
      const request = new $Ram.RemoveUserFromGroupRequest({ userName, groupName });
      await ignoreMissing(
        ramCall(ctx, 'RemoveUserFromGroup', 'write', () => ctx.client.removeUserFromGroup(request)),
      );
    },

    listPoliciesForGroup: (name) => groupPolicies.list(name),
    attachPolicyToGroup: (policy, name) => groupPolicies.attach(policy, name),
    detachPolicyFromGroup: (policy, name) => groupPolicies.detach(policy, name),
  };
}
