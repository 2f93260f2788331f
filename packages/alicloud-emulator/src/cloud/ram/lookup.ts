/**
 * Finding RAM entities by name, throwing the service's `EntityNotExist.*` (404) when absent, and
 * resolving a policy reference (System or Custom) to its current default document.
 */
import type { PolicyDocument } from '../../contract.js';
import { entityNotExist, invalidParameter } from '../errors.js';
import type { Account, CustomPolicy, Group, Role, User } from '../model.js';
import { parsePolicyDocument } from '../policy-engine/document.js';
import { findSystemPolicy } from '../system-policies.js';

export function findRole(account: Account, roleName: string): Role | undefined {
  return account.roles.get(roleName.toLowerCase());
}

export function getRole(account: Account, roleName: string): Role {
  const role = findRole(account, roleName);
  if (!role) throw entityNotExist('Role', `The role not exists: ${roleName}.`);
  return role;
}

export function getUser(account: Account, userName: string): User {
  const user = account.users.get(userName);
  if (!user) throw entityNotExist('User', `The user not exists: ${userName}.`);
  return user;
}

export function findUserById(account: Account, userId: string): User | undefined {
  for (const user of account.users.values()) if (user.userId === userId) return user;
  return undefined;
}

export function getGroup(account: Account, groupName: string): Group {
  const group = account.groups.get(groupName);
  if (!group) throw entityNotExist('Group', `The group not exists: ${groupName}.`);
  return group;
}

export function getCustomPolicy(account: Account, policyName: string): CustomPolicy {
  const policy = account.policies.get(policyName);
  if (!policy) throw entityNotExist('Policy', `The policy not exists: ${policyName}.`);
  return policy;
}

export type PolicyType = 'System' | 'Custom';

/** Validates a `PolicyType` parameter. */
export function checkPolicyType(value: string): PolicyType {
  if (value !== 'System' && value !== 'Custom') {
    throw invalidParameter('PolicyType', 'The parameter PolicyType must be System or Custom.');
  }
  return value;
}

/** Throws EntityNotExist.Policy unless the referenced policy exists. */
export function assertPolicyExists(account: Account, policyType: PolicyType, policyName: string): void {
  if (policyType === 'System') {
    if (!findSystemPolicy(policyName))
      throw entityNotExist('Policy', `The policy not exists: ${policyName}.`);
  } else {
    getCustomPolicy(account, policyName);
  }
}

/** The document a policy reference currently grants (the default version), or undefined if it is gone. */
export function policyDocument(
  account: Account,
  policyType: PolicyType,
  policyName: string,
): PolicyDocument | undefined {
  if (policyType === 'System') return findSystemPolicy(policyName)?.document;
  const policy = account.policies.get(policyName);
  const version = policy?.versions.find((v) => v.versionId === policy.defaultVersionId);
  return version ? parsePolicyDocument(version.document) : undefined;
}
