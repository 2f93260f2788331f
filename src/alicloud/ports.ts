/**
 * The engine's view of Alibaba Cloud: small, typed ports over the official SDKs (`@alicloud/ram20150501`,
 * `@alicloud/sts20150401`). Implementations live beside this file; the engine depends on these
 * interfaces only, so tests can count and crash calls by wrapping a real implementation.
 *
 * Conventions:
 * - `get*` resolves `undefined` when the entity does not exist (EntityNotExist.*); every other failure
 *   throws a {@link CloudError}.
 * - Delete/detach/remove calls resolve normally when the entity (or the attachment) is already gone:
 *   "already done" is success for a level-based reconciler.
 * - Policy documents cross the port as JSON strings, exactly as RAM stores them.
 * - Every call goes through the account's rate limiter and honours `x-acs-retry-after`.
 */

export type PolicyType = 'System' | 'Custom';
export type TaggableResource = 'role' | 'policy';
export type Tags = Record<string, string>;

export interface RoleInfo {
  roleName: string;
  roleId: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  /** The trust policy (AssumeRolePolicyDocument), a JSON string. */
  trustPolicy: string;
  /** ISO-8601, as RAM reports it; '' when it did not. */
  createDate: string;
}

export interface PolicyRef {
  policyName: string;
  policyType: PolicyType;
}

export interface PolicyInfo extends PolicyRef {
  description: string;
  defaultVersion: string;
  /** The default version's document, a JSON string. */
  document: string;
  /** ISO-8601, as RAM reports it; '' when it did not. */
  createDate: string;
}

export interface PolicyVersionInfo {
  versionId: string;
  isDefault: boolean;
  document: string;
  createDate: string;
}

export interface PolicyEntities {
  roles: string[];
  users: string[];
  groups: string[];
}

export interface UserInfo {
  userName: string;
  userId: string;
  displayName: string;
  comments: string;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

/** A freshly created AccessKey: the only moment its secret is ever known. */
export interface NewAccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** ISO-8601, as RAM reports it; '' when it did not. */
  createDate: string;
}

export interface LoginProfileInfo {
  passwordResetRequired: boolean;
  mfaBindRequired: boolean;
}

/** The account's rules for console passwords (GetPasswordPolicy); fields the engine does not need are left out. */
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface GroupInfo {
  groupName: string;
  comments: string;
}

export interface RamPort {
  /** The account this port acts in (already verified with GetCallerIdentity). */
  readonly accountId: string;

  getRole(roleName: string): Promise<RoleInfo | undefined>;
  /** `tags` (optional) are applied atomically with the creation: no window in which the role exists untagged. */
  createRole(input: {
    roleName: string;
    trustPolicy: string;
    description: string;
    maxSessionDuration: number;
    tags?: Tags;
  }): Promise<RoleInfo>;
  updateRole(
    roleName: string,
    change: { trustPolicy?: string; description?: string; maxSessionDuration?: number },
  ): Promise<void>;
  deleteRole(roleName: string): Promise<void>;
  listPoliciesForRole(roleName: string): Promise<PolicyRef[]>;
  attachPolicyToRole(policy: PolicyRef, roleName: string): Promise<void>;
  detachPolicyFromRole(policy: PolicyRef, roleName: string): Promise<void>;

  getPolicy(policy: PolicyRef): Promise<PolicyInfo | undefined>;
  /** `tags` (optional) are applied atomically with the creation, as for createRole. */
  createPolicy(input: {
    policyName: string;
    document: string;
    description: string;
    tags?: Tags;
  }): Promise<void>;
  deletePolicy(policyName: string): Promise<void>;
  listPolicyVersions(policyName: string): Promise<PolicyVersionInfo[]>;
  /** Creates a version and makes it the default; at the 5-version limit RAM rotates out the oldest non-default. */
  createPolicyVersion(policyName: string, document: string): Promise<void>;
  deletePolicyVersion(policyName: string, versionId: string): Promise<void>;
  listEntitiesForPolicy(policy: PolicyRef): Promise<PolicyEntities>;

  listTags(resource: TaggableResource, name: string): Promise<Tags>;
  /** Names of the roles or policies carrying tag `key` = `value` (ListTagResources with a tag filter). */
  findByTag(resource: TaggableResource, key: string, value: string): Promise<string[]>;
  /**
   * Every role or policy of the account carrying tag `key` (any value), with its value: one listing of
   * the account (all pages). For the orphan sweep, never for a reconcile pass.
   */
  listTagged(resource: TaggableResource, key: string): Promise<Map<string, string>>;
  tag(resource: TaggableResource, name: string, tags: Tags): Promise<void>;
  /** Removes the tag keys from the role or policy; absent keys are fine. */
  untag(resource: TaggableResource, name: string, keys: readonly string[]): Promise<void>;

  /**
   * The account alias RAM users sign in under (`<user>@<alias>.onaliyun.com`); the account id when none
   * is set. Remembered for a while per port (an alias rarely changes).
   */
  getAccountAlias(): Promise<string>;
  getPasswordPolicy(): Promise<PasswordPolicy>;

  /** Every RAM user of the account (all pages). */
  listUsers(): Promise<UserInfo[]>;
  getUser(userName: string): Promise<UserInfo | undefined>;
  createUser(input: { userName: string; displayName: string; comments: string }): Promise<UserInfo>;
  updateUser(userName: string, change: { comments?: string; displayName?: string }): Promise<void>;
  deleteUser(userName: string): Promise<void>;
  listAccessKeys(userName: string): Promise<AccessKeyInfo[]>;
  createAccessKey(userName: string): Promise<NewAccessKey>;
  /** Sets a key Active or Inactive; an Inactive key stops authenticating at once. */
  updateAccessKey(userName: string, accessKeyId: string, status: AccessKeyInfo['status']): Promise<void>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
  /** When the key last signed a call (ISO-8601), or undefined when it never has (or is gone). */
  getAccessKeyLastUsed(userName: string, accessKeyId: string): Promise<string | undefined>;
  getLoginProfile(userName: string): Promise<LoginProfileInfo | undefined>;
  createLoginProfile(userName: string, input: { password: string } & LoginProfileInfo): Promise<void>;
  updateLoginProfile(
    userName: string,
    input: { password?: string } & Partial<LoginProfileInfo>,
  ): Promise<void>;
  deleteLoginProfile(userName: string): Promise<void>;
  /** The serial number of the user's bound MFA device, if any. */
  getUserMfaDevice(userName: string): Promise<string | undefined>;
  unbindMfaDevice(userName: string): Promise<void>;
  listPoliciesForUser(userName: string): Promise<PolicyRef[]>;
  attachPolicyToUser(policy: PolicyRef, userName: string): Promise<void>;
  detachPolicyFromUser(policy: PolicyRef, userName: string): Promise<void>;
  listGroupsForUser(userName: string): Promise<string[]>;

  /** Every RAM group of the account (all pages). */
  listGroups(): Promise<GroupInfo[]>;
  getGroup(groupName: string): Promise<GroupInfo | undefined>;
  createGroup(input: { groupName: string; comments: string }): Promise<void>;
  updateGroup(groupName: string, change: { comments: string }): Promise<void>;
  deleteGroup(groupName: string): Promise<void>;
  listUsersForGroup(groupName: string): Promise<string[]>;
  addUserToGroup(userName: string, groupName: string): Promise<void>;
  removeUserFromGroup(userName: string, groupName: string): Promise<void>;
  listPoliciesForGroup(groupName: string): Promise<PolicyRef[]>;
  attachPolicyToGroup(policy: PolicyRef, groupName: string): Promise<void>;
  detachPolicyFromGroup(policy: PolicyRef, groupName: string): Promise<void>;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  identityType: 'Account' | 'RAMUser' | 'AssumedRoleUser' | string;
  principalId: string;
}

export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO-8601 UTC. */
  expiration: string;
}

export interface StsPort {
  getCallerIdentity(): Promise<CallerIdentity>;
  assumeRole(input: {
    roleArn: string;
    roleSessionName: string;
    durationSeconds: number;
    policy?: string;
  }): Promise<StsCredentials>;
}

/** Whether an API action changes state: counted separately (a no-op pass must make zero writes). */
export type CallKind = 'read' | 'write';

/**
 * Told about every cloud call after it finishes: metrics, call counting in tests and benchmarks, and
 * crash injection: an observer may throw from `beforeCall` (a crash before the call) or from
 * `afterCall` (a crash right after a write took effect, before its result was used).
 */
export interface CallObserver {
  beforeCall?(call: { accountId: string; action: string; kind: CallKind }): void;
  afterCall?(call: {
    accountId: string;
    action: string;
    kind: CallKind;
    durationMs: number;
    errorCode?: string;
  }): void;
}
