/**
 * The in-memory state of the emulated cloud: accounts and, inside each, the RAM entities and event buses.
 * Plain data only; the rules live in the action modules. Names are stored as created; lookups that the
 * real service treats case-insensitively (role names) go through the maps' lower-cased keys.
 */

/** A policy reference as attached to a role, user or group. */
export interface Attachment {
  policyType: 'System' | 'Custom';
  policyName: string;
  attachDate: Date;
}

export interface Role {
  roleId: string;
  roleName: string;
  description: string;
  /** The trust policy exactly as submitted (a JSON string); it was validated on the way in. */
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  createDate: Date;
  updateDate: Date;
  tags: Map<string, string>;
  attachments: Attachment[];
}

export interface PolicyVersion {
  versionId: string;
  document: string;
  createDate: Date;
}

export interface CustomPolicy {
  policyName: string;
  description: string;
  createDate: Date;
  updateDate: Date;
  /** Oldest first. */
  versions: PolicyVersion[];
  defaultVersionId: string;
  /** Version ids are never reused: the next one is `v<nextVersion>`. */
  nextVersion: number;
  tags: Map<string, string>;
}

export interface LoginProfile {
  createDate: Date;
  /** A digest only: the password itself is never kept. */
  passwordDigest: string;
  passwordResetRequired: boolean;
  mfaBindRequired: boolean;
}

export interface User {
  userId: string;
  userName: string;
  displayName: string;
  email: string;
  mobilePhone: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
  loginProfile?: LoginProfile;
  /** Serial number of a bound virtual MFA device (never bound through the emulated API today). */
  mfaSerialNumber?: string;
  attachments: Attachment[];
}

export interface Group {
  groupId: string;
  groupName: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
  /** Member userId → join date. Keyed by id so that renaming a user keeps its memberships. */
  members: Map<string, Date>;
  attachments: Attachment[];
}

/** A long-lived AccessKey: the account's root key or a RAM user's. */
export interface AccessKeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  accountId: string;
  /** Undefined for the root key. */
  userId?: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

export interface EventBus {
  name: string;
  region: string;
  events: Record<string, unknown>[];
}

/** The RAM password policy of an account (SetPasswordPolicy); every field as RAM 2015-05-01 names it. */
export interface PasswordPolicy {
  minimumPasswordLength: number;
  requireLowercaseCharacters: boolean;
  requireUppercaseCharacters: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  hardExpiry: boolean;
  maxLoginAttemps: number;
  maxPasswordAge: number;
  passwordReusePrevention: number;
}

/** Account-wide RAM settings, versioned as one entity by the consistency model. */
export interface AccountSettings {
  passwordPolicy: PasswordPolicy;
  /** Set by SetAccountAlias; undefined means the account id serves as the alias. */
  accountAlias: string | undefined;
}

export interface Account {
  accountId: string;
  /**
   * The label given when the account was created through the admin API. It is not the RAM account alias
   * (`settings.accountAlias`), which only SetAccountAlias changes.
   */
  alias: string | undefined;
  rootAccessKeyId: string;
  settings: AccountSettings;
  /** Signed calls attributed to this account, by `<service>:<Action>`. */
  calls: Map<string, number>;
  /** Keyed by lower-cased role name: RAM role names are case-insensitive. */
  roles: Map<string, Role>;
  policies: Map<string, CustomPolicy>;
  users: Map<string, User>;
  groups: Map<string, Group>;
  buses: Map<string, EventBus>;
}

/** Everything the backend holds. */
export interface World {
  accounts: Map<string, Account>;
  /** Every long-lived AccessKey of every account, by id. */
  accessKeys: Map<string, AccessKeyRecord>;
  /**
   * When each long-lived AccessKey last signed a call that verified. Kept apart from the key records so
   * that usage never counts as a write to the key.
   */
  accessKeyLastUsed: Map<string, Date>;
}

export function emptyWorld(): World {
  return { accounts: new Map(), accessKeys: new Map(), accessKeyLastUsed: new Map() };
}
