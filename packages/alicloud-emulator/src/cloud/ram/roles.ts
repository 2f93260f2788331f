/**
 * RAM roles: CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles. A role's trust policy is validated
 * as a trust document; MaxSessionDuration is 3600-43200 seconds (default 3600); at most 1000 roles per
 * account; a role with attached policies cannot be deleted (DeleteConflict.Role.Policy).
 */
import { entityAlreadyExists, deleteConflict, invalidParameter, limitExceeded } from '../errors.js';
import { roleArn } from '../arns.js';
import { isoSeconds } from '../ids.js';
import type { Role } from '../model.js';
import { checkLength, checkName } from '../names.js';
import { parsePolicyDocument } from '../policy-engine/document.js';
import { onAccount, onEntity, type ActionContext, type ActionTable } from './action.js';
import { findRole, getRole } from './lookup.js';
import { pageFields, paginate } from './pagination.js';
import { applyTags, matchesTagFilter, tagsView } from './tags.js';

const MAX_ROLES = 1000;
const MIN_SESSION = 3600;
const MAX_SESSION = 43200;

function roleView(ctx: ActionContext, role: Role, withUpdateDate = true): Record<string, unknown> {
  return {
    RoleId: role.roleId,
    RoleName: role.roleName,
    Arn: roleArn(ctx.account.accountId, role.roleName, ctx.lowercaseArns),
    Description: role.description,
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
    MaxSessionDuration: role.maxSessionDuration,
    CreateDate: isoSeconds(role.createDate),
    ...(withUpdateDate ? { UpdateDate: isoSeconds(role.updateDate) } : {}),
  };
}

function sessionDuration(ctx: ActionContext, param: string): number | undefined {
  const value = ctx.params.int(param);
  if (value !== undefined && (value < MIN_SESSION || value > MAX_SESSION)) {
    throw invalidParameter(
      param,
      `The parameter ${param} must be between ${MIN_SESSION} and ${MAX_SESSION}.`,
    );
  }
  return value;
}

function createRole(ctx: ActionContext): Record<string, unknown> {
  const { account, params } = ctx;
  const roleName = checkName('role', params.required('RoleName'));
  const trust = params.required('AssumeRolePolicyDocument');
  parsePolicyDocument(trust, 'trust');
  const description = checkLength('Description', params.optional('Description'), 1024);
  const maxSessionDuration = sessionDuration(ctx, 'MaxSessionDuration') ?? MIN_SESSION;
  const tags = new Map<string, string>();
  applyTags(tags, params.tags());
  if (findRole(account, roleName)) throw entityAlreadyExists('Role', `The role already exists: ${roleName}.`);
  if (account.roles.size >= MAX_ROLES)
    throw limitExceeded('Role', `An account can have at most ${MAX_ROLES} roles.`);
  const role: Role = {
    roleId: ctx.ids.digits(19),
    roleName,
    description,
    assumeRolePolicyDocument: trust,
    maxSessionDuration,
    createDate: ctx.now,
    updateDate: ctx.now,
    tags,
    attachments: [],
  };
  account.roles.set(roleName.toLowerCase(), role);
  return { Role: roleView(ctx, role, false) };
}

function updateRole(ctx: ActionContext): Record<string, unknown> {
  const { account, params } = ctx;
  const role = getRole(account, params.required('RoleName'));
  const trust = params.optional('NewAssumeRolePolicyDocument');
  if (trust !== undefined) parsePolicyDocument(trust, 'trust');
  const description = params.present('NewDescription');
  checkLength('NewDescription', description, 1024);
  const maxSessionDuration = sessionDuration(ctx, 'NewMaxSessionDuration');
  if (trust !== undefined) role.assumeRolePolicyDocument = trust;
  if (description !== undefined) role.description = description;
  if (maxSessionDuration !== undefined) role.maxSessionDuration = maxSessionDuration;
  role.updateDate = ctx.now;
  return { Role: roleView(ctx, role) };
}

function deleteRole(ctx: ActionContext): Record<string, unknown> {
  const role = getRole(ctx.account, ctx.params.required('RoleName'));
  if (role.attachments.length > 0) {
    throw deleteConflict(
      'Role.Policy',
      `The role still has ${role.attachments.length} attached policies: ${role.roleName}.`,
    );
  }
  ctx.account.roles.delete(role.roleName.toLowerCase());
  return {};
}

function listRoles(ctx: ActionContext): Record<string, unknown> {
  const filter = ctx.params.tags();
  const roles = [...ctx.account.roles.values()].filter((r) => matchesTagFilter(r.tags, filter));
  const page = paginate(roles, ctx.params);
  const items = page.items.map((role) => {
    const { AssumeRolePolicyDocument: _omitted, ...rest } = roleView(ctx, role);
    return { ...rest, Tags: tagsView(role.tags) };
  });
  return { Roles: { Role: items }, ...pageFields(page) };
}

export const ROLE_ACTIONS: ActionTable = {
  CreateRole: onEntity('ram:CreateRole', 'role', 'RoleName', createRole),
  GetRole: onEntity('ram:GetRole', 'role', 'RoleName', (ctx) => ({
    Role: roleView(ctx, getRole(ctx.account, ctx.params.required('RoleName'))),
  })),
  UpdateRole: onEntity('ram:UpdateRole', 'role', 'RoleName', updateRole),
  DeleteRole: onEntity('ram:DeleteRole', 'role', 'RoleName', deleteRole),
  ListRoles: onAccount('ram:ListRoles', listRoles),
};
