/**
 * Attaching policies to roles, users and groups: Attach/DetachPolicyTo{Role,User,Group},
 * ListPoliciesFor{Role,User,Group}, ListEntitiesForPolicy. Per entity at most 10 custom and 20 system
 * policies (LimitExceeded.<Entity>.Policy); attaching twice is EntityAlreadyExists.<Entity>.Policy,
 * detaching what is not attached EntityNotExist.<Entity>.Policy.
 */
import { roleArn } from '../arns.js';
import { entityAlreadyExists, entityNotExist, limitExceeded } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { Account, Attachment } from '../model.js';
import { findSystemPolicy } from '../system-policies.js';
import { ramResource, type ActionContext, type ActionSpec, type ActionTable } from './action.js';
import {
  assertPolicyExists,
  checkPolicyType,
  getGroup,
  getRole,
  getUser,
  type PolicyType,
} from './lookup.js';

const MAX_CUSTOM_ATTACHED = 10;
const MAX_SYSTEM_ATTACHED = 20;

type Holder = 'Role' | 'User' | 'Group';

interface HolderRef {
  name: string;
  attachments: Attachment[];
}

function holder(account: Account, kind: Holder, name: string): HolderRef {
  if (kind === 'Role') {
    const role = getRole(account, name);
    return { name: role.roleName, attachments: role.attachments };
  }
  if (kind === 'User') {
    const user = getUser(account, name);
    return { name: user.userName, attachments: user.attachments };
  }
  const group = getGroup(account, name);
  return { name: group.groupName, attachments: group.attachments };
}

const paramOf = (kind: Holder): string => `${kind}Name`;
const kindOf = (kind: Holder): 'role' | 'user' | 'group' =>
  kind === 'Role' ? 'role' : kind === 'User' ? 'user' : 'group';

function policyRef(ctx: ActionContext): { policyType: PolicyType; policyName: string } {
  const policyType = checkPolicyType(ctx.params.required('PolicyType'));
  const policyName = ctx.params.required('PolicyName');
  return { policyType, policyName };
}

const sameRef = (a: Attachment, type: PolicyType, name: string): boolean =>
  a.policyType === type && a.policyName === name;

/** What an attach or detach is authorized on: the holder and the policy. */
const holderAndPolicy =
  (kind: Holder): ActionSpec['resources'] =>
  (ctx) => [
    ramResource(ctx.account.accountId, kindOf(kind), ctx.params.optional(paramOf(kind))),
    ramResource(ctx.account.accountId, 'policy', ctx.params.optional('PolicyName')),
  ];

function attach(kind: Holder): ActionSpec {
  return {
    authAction: `ram:AttachPolicyTo${kind}`,
    resources: holderAndPolicy(kind),
    run: (ctx) => {
      const { policyType, policyName } = policyRef(ctx);
      const target = holder(ctx.account, kind, ctx.params.required(paramOf(kind)));
      assertPolicyExists(ctx.account, policyType, policyName);
      if (target.attachments.some((a) => sameRef(a, policyType, policyName))) {
        throw entityAlreadyExists(
          `${kind}.Policy`,
          `The policy ${policyName} is already attached to ${target.name}.`,
        );
      }
      const sameType = target.attachments.filter((a) => a.policyType === policyType).length;
      const limit = policyType === 'Custom' ? MAX_CUSTOM_ATTACHED : MAX_SYSTEM_ATTACHED;
      if (sameType >= limit) {
        throw limitExceeded(
          `${kind}.Policy`,
          `At most ${limit} ${policyType.toLowerCase()} policies can be attached to a ${kind.toLowerCase()}.`,
        );
      }
      target.attachments.push({ policyType, policyName, attachDate: ctx.now });
      return {};
    },
  };
}

function detach(kind: Holder): ActionSpec {
  return {
    authAction: `ram:DetachPolicyFrom${kind}`,
    resources: holderAndPolicy(kind),
    run: (ctx) => {
      const { policyType, policyName } = policyRef(ctx);
      const target = holder(ctx.account, kind, ctx.params.required(paramOf(kind)));
      assertPolicyExists(ctx.account, policyType, policyName);
      const index = target.attachments.findIndex((a) => sameRef(a, policyType, policyName));
      if (index < 0)
        throw entityNotExist(`${kind}.Policy`, `The policy ${policyName} is not attached to ${target.name}.`);
      target.attachments.splice(index, 1);
      return {};
    },
  };
}

/** The `Policies.Policy[]` item shape of ListPoliciesFor*. */
function attachedPolicyView(account: Account, a: Attachment): Record<string, unknown> {
  const system = a.policyType === 'System' ? findSystemPolicy(a.policyName) : undefined;
  const custom = a.policyType === 'Custom' ? account.policies.get(a.policyName) : undefined;
  return {
    PolicyName: a.policyName,
    PolicyType: a.policyType,
    Description: system?.description ?? custom?.description ?? '',
    DefaultVersion: custom?.defaultVersionId ?? 'v1',
    AttachDate: isoSeconds(a.attachDate),
  };
}

function listFor(kind: Holder): ActionSpec {
  return {
    authAction: `ram:ListPoliciesFor${kind}`,
    resources: (ctx) => [
      ramResource(ctx.account.accountId, kindOf(kind), ctx.params.optional(paramOf(kind))),
    ],
    run: (ctx) => {
      const target = holder(ctx.account, kind, ctx.params.required(paramOf(kind)));
      return { Policies: { Policy: target.attachments.map((a) => attachedPolicyView(ctx.account, a)) } };
    },
  };
}

/** Where a policy is attached; used by ListEntitiesForPolicy, DeletePolicy and AttachmentCount. */
export function attachmentsOf(account: Account, policyType: PolicyType, policyName: string) {
  const find = (list: Attachment[]) => list.find((a) => sameRef(a, policyType, policyName));
  const roles = [...account.roles.values()].flatMap((role) => {
    const a = find(role.attachments);
    return a ? [{ role, attachDate: a.attachDate }] : [];
  });
  const users = [...account.users.values()].flatMap((user) => {
    const a = find(user.attachments);
    return a ? [{ user, attachDate: a.attachDate }] : [];
  });
  const groups = [...account.groups.values()].flatMap((group) => {
    const a = find(group.attachments);
    return a ? [{ group, attachDate: a.attachDate }] : [];
  });
  return { roles, users, groups, count: roles.length + users.length + groups.length };
}

const listEntitiesForPolicy: ActionSpec = {
  authAction: 'ram:ListEntitiesForPolicy',
  resources: (ctx) => [ramResource(ctx.account.accountId, 'policy', ctx.params.optional('PolicyName'))],
  run: (ctx) => {
    const { policyType, policyName } = policyRef(ctx);
    assertPolicyExists(ctx.account, policyType, policyName);
    const found = attachmentsOf(ctx.account, policyType, policyName);
    const accountId = ctx.account.accountId;
    return {
      Roles: {
        Role: found.roles.map(({ role, attachDate }) => ({
          RoleId: role.roleId,
          RoleName: role.roleName,
          Arn: roleArn(accountId, role.roleName, ctx.lowercaseArns),
          Description: role.description,
          AttachDate: isoSeconds(attachDate),
        })),
      },
      Users: {
        User: found.users.map(({ user, attachDate }) => ({
          UserId: user.userId,
          UserName: user.userName,
          DisplayName: user.displayName,
          AttachDate: isoSeconds(attachDate),
        })),
      },
      Groups: {
        Group: found.groups.map(({ group, attachDate }) => ({
          GroupName: group.groupName,
          Comments: group.comments,
          AttachDate: isoSeconds(attachDate),
        })),
      },
    };
  },
};

export const ATTACHMENT_ACTIONS: ActionTable = {
  AttachPolicyToRole: attach('Role'),
  AttachPolicyToUser: attach('User'),
  AttachPolicyToGroup: attach('Group'),
  DetachPolicyFromRole: detach('Role'),
  DetachPolicyFromUser: detach('User'),
  DetachPolicyFromGroup: detach('Group'),
  ListPoliciesForRole: listFor('Role'),
  ListPoliciesForUser: listFor('User'),
  ListPoliciesForGroup: listFor('Group'),
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
