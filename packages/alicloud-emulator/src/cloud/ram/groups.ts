/**
 * RAM groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup,
 * RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup. A group with members or attached policies
 * cannot be deleted (DeleteConflict.Group.{User,Policy}); an account has at most 300 groups
 * (LimitExceeded.Group) and a user is in at most 10 (LimitExceeded.User.Group).
 */
import { deleteConflict, entityAlreadyExists, entityNotExist, limitExceeded } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { Group } from '../model.js';
import { checkLength, checkName } from '../names.js';
import {
  onAccount,
  onEntity,
  ramResource,
  type ActionContext,
  type ActionSpec,
  type ActionTable,
} from './action.js';
import { findUserById, getGroup, getUser } from './lookup.js';
import { pageFields, paginate } from './pagination.js';
import { userGroups } from './users.js';

/** RAM's limits (the RAM "Limits" page): user groups per account, and groups a user may join. */
const MAX_GROUPS = 300;
const MAX_GROUPS_PER_USER = 10;

function groupView(group: Group): Record<string, unknown> {
  return {
    GroupId: group.groupId,
    GroupName: group.groupName,
    Comments: group.comments,
    CreateDate: isoSeconds(group.createDate),
    UpdateDate: isoSeconds(group.updateDate),
  };
}

function createGroup(ctx: ActionContext): Record<string, unknown> {
  const groupName = checkName('group', ctx.params.required('GroupName'));
  const comments = checkLength('Comments', ctx.params.optional('Comments'), 128);
  if (ctx.account.groups.has(groupName))
    throw entityAlreadyExists('Group', `The group already exists: ${groupName}.`);
  if (ctx.account.groups.size >= MAX_GROUPS)
    throw limitExceeded('Group', `An account can have at most ${MAX_GROUPS} groups.`);
  const group: Group = {
    groupId: ctx.ids.digits(16),
    groupName,
    comments,
    createDate: ctx.now,
    updateDate: ctx.now,
    members: new Map(),
    attachments: [],
  };
  ctx.account.groups.set(groupName, group);
  const { UpdateDate: _omitted, ...view } = groupView(group);
  return { Group: view };
}

function updateGroup(ctx: ActionContext): Record<string, unknown> {
  const group = getGroup(ctx.account, ctx.params.required('GroupName'));
  const newName = ctx.params.optional('NewGroupName');
  if (newName !== undefined && newName !== group.groupName) {
    checkName('group', newName, 'NewGroupName');
    if (ctx.account.groups.has(newName))
      throw entityAlreadyExists('Group', `The group already exists: ${newName}.`);
  }
  const comments = ctx.params.present('NewComments');
  checkLength('NewComments', comments, 128);
  if (newName !== undefined && newName !== group.groupName) {
    ctx.account.groups.delete(group.groupName);
    group.groupName = newName;
    ctx.account.groups.set(newName, group);
  }
  if (comments !== undefined) group.comments = comments;
  group.updateDate = ctx.now;
  return { Group: groupView(group) };
}

function deleteGroup(ctx: ActionContext): Record<string, unknown> {
  const group = getGroup(ctx.account, ctx.params.required('GroupName'));
  if (group.members.size > 0)
    throw deleteConflict('Group.User', `The group still has members: ${group.groupName}.`);
  if (group.attachments.length > 0)
    throw deleteConflict('Group.Policy', `The group still has attached policies: ${group.groupName}.`);
  ctx.account.groups.delete(group.groupName);
  return {};
}

/** Membership changes are checked on both the group and the user. */
function membership(authAction: string, run: (ctx: ActionContext) => Record<string, unknown>): ActionSpec {
  return {
    authAction,
    resources: (ctx) => [
      ramResource(ctx.account.accountId, 'group', ctx.params.optional('GroupName')),
      ramResource(ctx.account.accountId, 'user', ctx.params.optional('UserName')),
    ],
    run,
  };
}

function addUserToGroup(ctx: ActionContext): Record<string, unknown> {
  const group = getGroup(ctx.account, ctx.params.required('GroupName'));
  const user = getUser(ctx.account, ctx.params.required('UserName'));
  if (group.members.has(user.userId))
    throw entityAlreadyExists('User.Group', `The user ${user.userName} is already in ${group.groupName}.`);
  if (userGroups(ctx.account, user).length >= MAX_GROUPS_PER_USER) {
    throw limitExceeded('User.Group', `A user can be in at most ${MAX_GROUPS_PER_USER} groups.`);
  }
  group.members.set(user.userId, ctx.now);
  return {};
}

function removeUserFromGroup(ctx: ActionContext): Record<string, unknown> {
  const group = getGroup(ctx.account, ctx.params.required('GroupName'));
  const user = getUser(ctx.account, ctx.params.required('UserName'));
  if (!group.members.delete(user.userId)) {
    throw entityNotExist('User.Group', `The user ${user.userName} is not in ${group.groupName}.`);
  }
  return {};
}

export const GROUP_ACTIONS: ActionTable = {
  CreateGroup: onEntity('ram:CreateGroup', 'group', 'GroupName', createGroup),
  GetGroup: onEntity('ram:GetGroup', 'group', 'GroupName', (ctx) => ({
    Group: groupView(getGroup(ctx.account, ctx.params.required('GroupName'))),
  })),
  UpdateGroup: onEntity('ram:UpdateGroup', 'group', 'GroupName', updateGroup),
  DeleteGroup: onEntity('ram:DeleteGroup', 'group', 'GroupName', deleteGroup),
  ListGroups: onAccount('ram:ListGroups', (ctx) => {
    const page = paginate([...ctx.account.groups.values()], ctx.params);
    return { Groups: { Group: page.items.map(groupView) }, ...pageFields(page) };
  }),
  AddUserToGroup: membership('ram:AddUserToGroup', addUserToGroup),
  RemoveUserFromGroup: membership('ram:RemoveUserFromGroup', removeUserFromGroup),
  ListGroupsForUser: onEntity('ram:ListGroupsForUser', 'user', 'UserName', (ctx) => {
    const user = getUser(ctx.account, ctx.params.required('UserName'));
    const groups = userGroups(ctx.account, user).map((g) => ({
      GroupId: g.groupId,
      GroupName: g.groupName,
      Comments: g.comments,
      JoinDate: isoSeconds(g.members.get(user.userId) ?? g.createDate),
    }));
    return { Groups: { Group: groups } };
  }),
  ListUsersForGroup: onEntity('ram:ListUsersForGroup', 'group', 'GroupName', (ctx) => {
    const group = getGroup(ctx.account, ctx.params.required('GroupName'));
    const members = [...group.members].flatMap(([userId, joined]) => {
      const user = findUserById(ctx.account, userId);
      return user
        ? [{ UserName: user.userName, DisplayName: user.displayName, JoinDate: isoSeconds(joined) }]
        : [];
    });
    const page = paginate(members, ctx.params);
    return { Users: { User: page.items }, ...pageFields(page) };
  }),
};
