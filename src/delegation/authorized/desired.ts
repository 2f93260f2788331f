import { createHash } from 'node:crypto';
import type { AccessKeyRotation, CrossAccountDelegationSpec } from '../../api/spec.js';
import { mfaRequired } from '../../api/parse.js';
import type { PolicyRef, Tags } from '../../alicloud/ports.js';
import type { Ownership } from '../ownership.js';
import { serializePolicy } from '../policy-compare.js';

/**
 * What account B (the authorized account) should hold for one delegation, derived purely from the spec.
 * Users and the group carry the ownership marker in their Comments; the scoped grant policy carries the
 * ownership tag.
 */

/** The system policy that lets a RAM identity call sts:AssumeRole on any role. */
export const SYSTEM_ASSUME_ROLE_POLICY: PolicyRef = {
  policyName: 'AliyunSTSAssumeRoleAccess',
  policyType: 'System',
};

export interface DesiredUser {
  name: string;
  /** Set when the user is created; not enforced afterwards (cosmetic, people may edit it). */
  displayName: string;
  /** The Comments a user gets when the operator creates it: the ownership marker. */
  comments: string;
  access: 'Programmatic' | 'Console';
  /** Console users only: MFABindRequired on the login profile. */
  mfaRequired: boolean;
  /** `<user>@<B's account alias>.onaliyun.com`, the name a Console user signs in with. */
  principalName: string;
  credentialsSecretName: string;
  /** Programmatic users: when their AccessKey is replaced (see access-keys.ts). */
  accessKeyRotation?: AccessKeyRotation;
}

export interface DesiredGroup {
  name: string;
  comments: string;
  /** Exactly these users, in spec order: the group is exclusively managed. */
  members: string[];
}

/** The custom policy in B that allows sts:AssumeRole on exactly the delegation's role. */
interface ScopedGrantPolicy {
  policyName: string;
  description: string;
  /** Compact JSON, as sent to CreatePolicy. */
  document: string;
  tags: Tags;
}

type DesiredGrant =
  | { kind: 'Scoped'; policy: PolicyRef; scoped: ScopedGrantPolicy }
  | { kind: 'SystemPolicy'; policy: PolicyRef };

/** Where the grant is attached: to the group when the spec names one, otherwise to each user directly. */
type GrantTarget = { kind: 'group'; name: string } | { kind: 'users' };

export interface DesiredAuthorized {
  /** Account B. */
  accountId: string;
  /** Account A, which owns the role. */
  ownerAccountId: string;
  roleName: string;
  /** The ownership marker users and the group carry in their Comments. */
  marker: string;
  users: DesiredUser[];
  group?: DesiredGroup;
  grant: DesiredGrant;
  grantTarget: GrantTarget;
  /**
   * The scoped grant policy this delegation would use, whatever `assumeRoleGrant` says: after a switch
   * to SystemPolicy the old scoped policy is found under this name (and by tag) to be removed.
   */
  scopedPolicy: ScopedGrantPolicy;
}

/**
 * The scoped grant policy's name: `AssumeRole-<A>-<role>` with the role's dots turned into dashes (RAM
 * policy names allow only [A-Za-z0-9-]). When the role name had dots, a short digest of it is appended so
 * that roles `a.b` and `a-b` never share a policy name. At most 11+16+1+64+9 = 101 characters.
 */
export function scopedPolicyName(ownerAccountId: string, roleName: string): string {
  const base = `AssumeRole-${ownerAccountId}-${roleName.replaceAll('.', '-')}`;
  if (!roleName.includes('.')) return base;
  const digest = createHash('sha256').update(roleName).digest('hex').slice(0, 8);
  return `${base}-${digest}`;
}

/**
 * The scoped grant's document: sts:AssumeRole on exactly this role of account A, named by the ARN RAM
 * returned for it (RAM may spell it lower-case; it compares role ARNs regardless of case).
 */
function scopedGrantDocument(roleArn: string): string {
  return serializePolicy({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }],
  });
}

/** The scoped grant's description: what it allows and which delegation manages it (for people reading the console). */
function scopedGrantDescription(ownerAccountId: string, roleName: string, ownership: Ownership): string {
  return `Allows sts:AssumeRole on role ${roleName} of account ${ownerAccountId}. Managed by ${ownership.marker}`;
}

/** `<user>@<alias>.onaliyun.com`: what a RAM user signs in with; the alias is the account id until one is set. */
function principalNameOf(userName: string, accountAlias: string): string {
  return `${userName}@${accountAlias}.onaliyun.com`;
}

/**
 * Account B's desired state. `roleArn` is the role's ARN as RAM returned it (the grant names it);
 * `accountAlias` is B's account alias (GetAccountAlias), the domain its users sign in under.
 */
export function desiredAuthorized(
  spec: CrossAccountDelegationSpec,
  ownership: Ownership,
  roleArn: string,
  accountAlias: string = spec.authorized.accountId,
): DesiredAuthorized {
  const accountId = spec.authorized.accountId;
  const ownerAccountId = spec.owner.accountId;
  const roleName = spec.role.name;
  const users: DesiredUser[] = spec.users.map((user) => ({
    name: user.name,
    displayName: user.name,
    comments: ownership.marker,
    access: user.access,
    mfaRequired: mfaRequired(user),
    principalName: principalNameOf(user.name, accountAlias),
    credentialsSecretName: user.credentialsSecretName,
    ...(user.accessKeyRotation ? { accessKeyRotation: user.accessKeyRotation } : {}),
  }));
  const scopedPolicy: ScopedGrantPolicy = {
    policyName: scopedPolicyName(ownerAccountId, roleName),
    description: scopedGrantDescription(ownerAccountId, roleName, ownership),
    document: scopedGrantDocument(roleArn),
    tags: { [ownership.tagKey]: ownership.tagValue },
  };
  const grant: DesiredGrant =
    spec.assumeRoleGrant === 'Scoped'
      ? {
          kind: 'Scoped',
          policy: { policyName: scopedPolicy.policyName, policyType: 'Custom' },
          scoped: scopedPolicy,
        }
      : { kind: 'SystemPolicy', policy: SYSTEM_ASSUME_ROLE_POLICY };
  const group: DesiredGroup | undefined = spec.group
    ? { name: spec.group.name, comments: ownership.marker, members: users.map((u) => u.name) }
    : undefined;
  return {
    accountId,
    ownerAccountId,
    roleName,
    marker: ownership.marker,
    users,
    ...(group ? { group } : {}),
    grant,
    grantTarget: group ? { kind: 'group', name: group.name } : { kind: 'users' },
    scopedPolicy,
  };
}

/**
 * The empty desired state: no user, no group, no scoped grant (the SystemPolicy grant kind has no policy
 * of its own to keep). Revocation plans against it, so every user and group carrying the marker and every
 * policy carrying the tag is removed; the scoped policy's name is kept so it is still looked up.
 */
export function emptyAuthorized(desired: DesiredAuthorized): DesiredAuthorized {
  const { group: _group, ...rest } = desired;
  return {
    ...rest,
    users: [],
    grant: { kind: 'SystemPolicy', policy: SYSTEM_ASSUME_ROLE_POLICY },
    grantTarget: { kind: 'users' },
  };
}
