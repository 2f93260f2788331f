/**
 * Listing, attaching and detaching policies on a RAM principal (a user, a group or a role). RAM has one
 * action of each kind per principal (`AttachPolicyToUser`, `AttachPolicyToGroup`, …) whose only
 * difference is the name field; this module is the one place that maps a principal kind onto them, so
 * the three halves of the RAM port share the same idioms: attaching twice and detaching what is gone
 * both count as success.
 */
import * as $Ram from '@alicloud/ram20150501';
import type { RamClient } from './clients.js';
import type { PolicyRef } from './ports.js';
import { ignoreExisting, ignoreMissing } from './errors.js';
import { policyRefs, ramCall, type RamContext } from './ram-support.js';

export type PrincipalKind = 'User' | 'Group' | 'Role';

interface PolicyRows {
  body?: { policies?: { policy?: { policyName?: string; policyType?: string }[] } };
}

/** The SDK calls for one principal kind; `name` is the principal's UserName, GroupName or RoleName. */
interface PrincipalSdk {
  list(client: RamClient, name: string): Promise<PolicyRows>;
  attach(client: RamClient, policy: PolicyRef, name: string): Promise<unknown>;
  detach(client: RamClient, policy: PolicyRef, name: string): Promise<unknown>;
}

function policyFields(policy: PolicyRef): { policyName: string; policyType: string } {
  return { policyName: policy.policyName, policyType: policy.policyType };
}

const PRINCIPAL_SDK: Record<PrincipalKind, PrincipalSdk> = {
  User: {
    list: (client, userName) => client.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName })),
    attach: (client, policy, userName) =>
      client.attachPolicyToUser(new $Ram.AttachPolicyToUserRequest({ ...policyFields(policy), userName })),
    detach: (client, policy, userName) =>
      client.detachPolicyFromUser(
        new $Ram.DetachPolicyFromUserRequest({ ...policyFields(policy), userName }),
      ),
  },
  Group: {
    list: (client, groupName) =>
      client.listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName })),
    attach: (client, policy, groupName) =>
      client.attachPolicyToGroup(new $Ram.AttachPolicyToGroupRequest({ ...policyFields(policy), groupName })),
    detach: (client, policy, groupName) =>
      client.detachPolicyFromGroup(
        new $Ram.DetachPolicyFromGroupRequest({ ...policyFields(policy), groupName }),
      ),
  },
  Role: {
    list: (client, roleName) => client.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName })),
    attach: (client, policy, roleName) =>
      client.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ ...policyFields(policy), roleName })),
    detach: (client, policy, roleName) =>
      client.detachPolicyFromRole(
        new $Ram.DetachPolicyFromRoleRequest({ ...policyFields(policy), roleName }),
      ),
  },
};

export interface PrincipalPolicyOperations {
  list(name: string): Promise<PolicyRef[]>;
  /** Already attached (`EntityAlreadyExists.*`) is success. */
  attach(policy: PolicyRef, name: string): Promise<void>;
  /** Not attached or gone (`EntityNotExist.*`) is success. */
  detach(policy: PolicyRef, name: string): Promise<void>;
}

export function principalPolicyOperations(ctx: RamContext, kind: PrincipalKind): PrincipalPolicyOperations {
  const sdk = PRINCIPAL_SDK[kind];
  return {
    async list(name) {
      const response = await ramCall(ctx, `ListPoliciesFor${kind}`, 'read', () => sdk.list(ctx.client, name));
      return policyRefs(response.body?.policies?.policy);
    },
    async attach(policy, name) {
      await ignoreExisting(
        ramCall(ctx, `AttachPolicyTo${kind}`, 'write', () => sdk.attach(ctx.client, policy, name)),
      );
    },
    async detach(policy, name) {
      await ignoreMissing(
        ramCall(ctx, `DetachPolicyFrom${kind}`, 'write', () => sdk.detach(ctx.client, policy, name)),
      );
    },
  };
}
