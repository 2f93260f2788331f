import type {
  AccessKeyInfo,
  LoginProfileInfo,
  PolicyEntities,
  PolicyRef,
  RamPort,
} from '../../alicloud/ports.js';
import { ownsByComments, type Ownership } from '../ownership.js';
import type { DesiredAuthorized } from './desired.js';
import { mapLimited } from '../map-limited.js';

/**
 * What account B holds for one delegation, read with as few calls as possible: ListUsers and ListGroups
 * once (they carry Comments, so no GetUser/GetGroup is needed), details only for users and groups that
 * matter (spec ones that exist, and marked ones the spec no longer has), and the grant policies.
 */

/** A spec user as it exists in RAM. */
export interface ObservedUser {
  name: string;
  comments: string;
  /** Its Comments carry this delegation's marker. */
  managed: boolean;
  accessKeys: AccessKeyInfo[];
  loginProfile?: LoginProfileInfo;
  /** Policies attached to the user directly. */
  policies: PolicyRef[];
}

/** A user carrying this delegation's marker that the spec no longer names: everything needed to delete it. */
export interface ObservedRemovedUser extends ObservedUser {
  groups: string[];
  mfaDevice?: string;
}

export interface ObservedGroup {
  name: string;
  comments: string;
  managed: boolean;
  members: string[];
  policies: PolicyRef[];
}

/** The scoped grant policy under the name this delegation uses. */
export interface ObservedScopedPolicy {
  policyName: string;
  description: string;
  document: string;
  /** Tagged with this delegation's ownership tag (known from `findByTag`, no ListTagResources per policy). */
  managed: boolean;
  entities: PolicyEntities;
}

/** A custom policy tagged as this delegation's grant under another name (e.g. the role was renamed). */
export interface StaleGrant {
  policyName: string;
  entities: PolicyEntities;
}

export interface ObservedAuthorized {
  /** Spec users that exist, by name; a spec user missing here does not exist. */
  users: ReadonlyMap<string, ObservedUser>;
  removedUsers: ObservedRemovedUser[];
  /** The spec's group, when it exists. */
  group?: ObservedGroup;
  /** Groups carrying the marker other than the spec's group. */
  removedGroups: ObservedGroup[];
  /** The custom policy named `desired.scopedPolicy.policyName`, when it exists (whatever the grant kind). */
  scopedPolicy?: ObservedScopedPolicy;
  staleGrants: StaleGrant[];
}

export interface ObserveOptions {
  /** How many users (or groups) are read at once; each takes up to five reads in parallel. Default 4. */
  concurrency?: number;
}

export async function observeAuthorized(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  options: ObserveOptions = {},
): Promise<ObservedAuthorized> {
  const limit = options.concurrency ?? 4;
  const specUserNames = new Set(desired.users.map((u) => u.name));
  const [allUsers, allGroups, scopedFound, taggedPolicies] = await Promise.all([
    ram.listUsers(),
    ram.listGroups(),
    observeScopedPolicy(ram, desired),
    ram.findByTag('policy', ownership.tagKey, ownership.tagValue),
  ]);
  const scopedPolicy = scopedFound && {
    ...scopedFound,
    managed: taggedPolicies.includes(scopedFound.policyName),
  };

  const specUsers = allUsers.filter((u) => specUserNames.has(u.userName));
  const removed = allUsers.filter(
    (u) => !specUserNames.has(u.userName) && ownsByComments(u.comments, ownership),
  );
  const specGroup = desired.group ? allGroups.find((g) => g.groupName === desired.group?.name) : undefined;
  const removedGroups = allGroups.filter(
    (g) => g.groupName !== desired.group?.name && ownsByComments(g.comments, ownership),
  );
  const staleNames = taggedPolicies.filter((name) => name !== desired.scopedPolicy.policyName);

  const readUser = async (name: string, comments: string): Promise<ObservedUser> => {
    const [accessKeys, loginProfile, policies] = await Promise.all([
      ram.listAccessKeys(name),
      ram.getLoginProfile(name),
      ram.listPoliciesForUser(name),
    ]);
    return {
      name,
      comments,
      managed: ownsByComments(comments, ownership),
      accessKeys,
      ...(loginProfile ? { loginProfile } : {}),
      policies,
    };
  };
  const readGroup = async (name: string, comments: string): Promise<ObservedGroup> => {
    const [members, policies] = await Promise.all([
      ram.listUsersForGroup(name),
      ram.listPoliciesForGroup(name),
    ]);
    return { name, comments, managed: ownsByComments(comments, ownership), members, policies };
  };

  const observedUsers = await mapLimited(specUsers, limit, (u) => readUser(u.userName, u.comments));
  const removedUsers = await mapLimited(removed, limit, async (u): Promise<ObservedRemovedUser> => {
    const [base, groups, mfaDevice] = await Promise.all([
      readUser(u.userName, u.comments),
      ram.listGroupsForUser(u.userName),
      ram.getUserMfaDevice(u.userName),
    ]);
    return { ...base, groups, ...(mfaDevice ? { mfaDevice } : {}) };
  });
  const groups = await mapLimited([...(specGroup ? [specGroup] : []), ...removedGroups], limit, (g) =>
    readGroup(g.groupName, g.comments),
  );
  const staleGrants = await mapLimited(staleNames, limit, async (policyName) => ({
    policyName,
    entities: await ram.listEntitiesForPolicy({ policyName, policyType: 'Custom' }),
  }));

  const observedSpecGroup = specGroup ? groups[0] : undefined;
  return {
    users: new Map(observedUsers.map((u) => [u.name, u])),
    removedUsers,
    ...(observedSpecGroup ? { group: observedSpecGroup } : {}),
    removedGroups: specGroup ? groups.slice(1) : groups,
    ...(scopedPolicy ? { scopedPolicy } : {}),
    staleGrants,
  };
}

async function observeScopedPolicy(
  ram: RamPort,
  desired: DesiredAuthorized,
): Promise<Omit<ObservedScopedPolicy, 'managed'> | undefined> {
  const ref: PolicyRef = { policyName: desired.scopedPolicy.policyName, policyType: 'Custom' };
  const policy = await ram.getPolicy(ref);
  if (!policy) return undefined;
  const entities = await ram.listEntitiesForPolicy(ref);
  return {
    policyName: policy.policyName,
    description: policy.description,
    document: policy.document,
    entities,
  };
}
