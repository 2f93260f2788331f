/** The role half of {@link RamPort}: roles and the policies attached to them. */
import * as $Ram from '@alicloud/ram20150501';
import type { RamPort, RoleInfo } from './ports.js';
import { ignoreMissing, missingField, orUndefined } from './errors.js';
import { ramCall, tagRows, type RamContext } from './ram-support.js';
import { principalPolicyOperations } from './ram-principal-policies.js';

type RoleOperations = Pick<
  RamPort,
  | 'getRole'
  | 'createRole'
  | 'updateRole'
  | 'deleteRole'
  | 'listPoliciesForRole'
  | 'attachPolicyToRole'
  | 'detachPolicyFromRole'
>;

interface SdkRole {
  roleName?: string;
  roleId?: string;
  arn?: string;
  description?: string;
  maxSessionDuration?: number;
  assumeRolePolicyDocument?: string;
  createDate?: string;
}

function roleInfo(action: string, role: SdkRole | undefined): RoleInfo {
  if (!role?.roleName || !role.arn) throw missingField(action, 'Role');
  return {
    roleName: role.roleName,
    roleId: role.roleId ?? '',
    arn: role.arn,
    description: role.description ?? '',
    maxSessionDuration: role.maxSessionDuration ?? 3600,
    trustPolicy: role.assumeRolePolicyDocument ?? '',
    createDate: role.createDate ?? '',
  };
}

export function roleOperations(ctx: RamContext): RoleOperations {
  const rolePolicies = principalPolicyOperations(ctx, 'Role');
  return {
    async getRole(roleName) {
      const request = new $Ram.GetRoleRequest({ roleName });
      const response = await orUndefined(ramCall(ctx, 'GetRole', 'read', () => ctx.client.getRole(request)));
      return response && roleInfo('GetRole', response.body?.role);
    },

    async createRole(input) {
      const tag = tagRows(input.tags, (row) => new $Ram.CreateRoleRequestTag(row));
      const request = new $Ram.CreateRoleRequest({
        roleName: input.roleName,
        assumeRolePolicyDocument: input.trustPolicy,
        description: input.description,
        maxSessionDuration: input.maxSessionDuration,
        ...(tag ? { tag } : {}),
      });
      const response = await ramCall(ctx, 'CreateRole', 'write', () => ctx.client.createRole(request));
      return roleInfo('CreateRole', response.body?.role);
    },

    async updateRole(roleName, change) {
      const request = new $Ram.UpdateRoleRequest({
        roleName,
        ...(change.trustPolicy !== undefined ? { newAssumeRolePolicyDocument: change.trustPolicy } : {}),
        ...(change.description !== undefined ? { newDescription: change.description } : {}),
        ...(change.maxSessionDuration !== undefined
          ? { newMaxSessionDuration: change.maxSessionDuration }
          : {}),
      });
      await ramCall(ctx, 'UpdateRole', 'write', () => ctx.client.updateRole(request));
    },

    async deleteRole(roleName) {
      const request = new $Ram.DeleteRoleRequest({ roleName });
      await ignoreMissing(ramCall(ctx, 'DeleteRole', 'write', () => ctx.client.deleteRole(request)));
    },

    listPoliciesForRole: (name) => rolePolicies.list(name),
    attachPolicyToRole: (policy, name) => rolePolicies.attach(policy, name),
    detachPolicyFromRole: (policy, name) => rolePolicies.detach(policy, name),
  };
}
