/**
 * The admin API's view of one account: everything the operator manages, in plain JSON, for tests and
 * for humans debugging a sandbox. Always the true state, whatever lag faults are on. Never includes
 * AccessKey secrets or password material.
 */
import { ApiError } from '../contract.js';
import { isoSeconds } from './ids.js';
import type { Attachment, World } from './model.js';
import { accountAlias, userPrincipalName } from './ram/account-alias.js';
import { attachmentsOf } from './ram/attachments.js';
import { findUserById } from './ram/lookup.js';

export interface StateDump {
  roles: unknown[];
  policies: unknown[];
  users: unknown[];
  groups: unknown[];
  /** Account-wide settings: the RAM account alias (the account id until one is set) and password policy. */
  account: { accountAlias: string; passwordPolicy: Record<string, unknown> };
}

const attached = (list: readonly Attachment[]) =>
  list.map((a) => ({
    policyType: a.policyType,
    policyName: a.policyName,
    attachDate: isoSeconds(a.attachDate),
  }));

function parseOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function dumpState(world: World, accountId: string): StateDump {
  const account = world.accounts.get(accountId);
  if (!account) throw new ApiError('EntityNotExist.Account', 404, `The account not exists: ${accountId}.`);
  const roles = [...account.roles.values()].map((r) => ({
    roleName: r.roleName,
    roleId: r.roleId,
    description: r.description,
    trustPolicy: parseOrRaw(r.assumeRolePolicyDocument),
    maxSessionDuration: r.maxSessionDuration,
    attachedPolicies: attached(r.attachments),
    tags: Object.fromEntries(r.tags),
  }));
  const policies = [...account.policies.values()].map((p) => {
    const where = attachmentsOf(account, 'Custom', p.policyName);
    return {
      policyName: p.policyName,
      description: p.description,
      defaultVersion: p.defaultVersionId,
      versions: p.versions.map((v) => ({
        versionId: v.versionId,
        document: parseOrRaw(v.document),
        createDate: isoSeconds(v.createDate),
      })),
      tags: Object.fromEntries(p.tags),
      attachments: {
        roles: where.roles.map((x) => x.role.roleName),
        users: where.users.map((x) => x.user.userName),
        groups: where.groups.map((x) => x.group.groupName),
      },
    };
  });
  const users = [...account.users.values()].map((u) => ({
    userName: u.userName,
    userId: u.userId,
    principalName: userPrincipalName(account, u.userName),
    displayName: u.displayName,
    comments: u.comments,
    accessKeyIds: [...world.accessKeys.values()]
      .filter((k) => k.accountId === accountId && k.userId === u.userId)
      .map((k) => k.accessKeyId),
    loginProfile: u.loginProfile
      ? {
          passwordResetRequired: u.loginProfile.passwordResetRequired,
          mfaBindRequired: u.loginProfile.mfaBindRequired,
        }
      : null,
    mfaDeviceBound: u.mfaSerialNumber !== undefined,
    groups: [...account.groups.values()].filter((g) => g.members.has(u.userId)).map((g) => g.groupName),
    attachedPolicies: attached(u.attachments),
  }));
  const groups = [...account.groups.values()].map((g) => ({
    groupName: g.groupName,
    comments: g.comments,
    members: [...g.members.keys()].flatMap((id) => {
      const user = findUserById(account, id);
      return user ? [user.userName] : [];
    }),
    attachedPolicies: attached(g.attachments),
  }));
  const settings = {
    accountAlias: accountAlias(account),
    passwordPolicy: { ...account.settings.passwordPolicy },
  };
  return { roles, policies, users, groups, account: settings };
}
