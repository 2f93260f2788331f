import type { AccessKeyInfo, PolicyEntities, PolicyRef, RamPort } from '../../alicloud/ports.js';
import { orUndefined } from '../../alicloud/errors.js';
import type { InventoryRecord } from '../inventory.js';
import { mapLimited } from '../map-limited.js';
import { ownsByComments, type Ownership } from '../ownership.js';
import { ownerOf } from '../owner/observed.js';
import type { DesiredAuthorized } from './desired.js';
import type {
  ObservedAuthorized,
  ObservedGroup,
  ObservedRemovedUser,
  ObservedScopedPolicy,
  ObservedUser,
} from './observed.js';

export type * from './observed.js';

/**
 * What account B holds for one delegation, read by name only (the spec's users and group, the scoped
 * grant, and what the record names), never by listing the account: the cost of a pass does not grow
 * with the account. Details are read only for entities that matter.
 */

export interface ObserveOptions {
  /** How many users (or groups) are read at once; each takes up to five reads in parallel. Default 4. */
  concurrency?: number;
  /**
   * False on a resync of a Ready generation: with the Scoped grant, the policies attached to spec users
   * and the group are not read (the grant's own attachments come from ListEntitiesForPolicy), and tags of
   * recorded policies are not read. True: everything is read.
   */
  full?: boolean;
  now?: Date;
  tagGraceMs?: number;
  /** See `DelegationInput.storedKeyWorks`. */
  storedKeyWorks?: (userName: string) => Promise<boolean>;
  /** The AccessKey id stored for each user (to ask {@link storedKeyWorks} only when it is not listed). */
  storedKeyIds?: ReadonlyMap<string, string>;
  /**
   * Revocation: users and groups to remove besides the recorded ones (the spec's), when they carry the
   * marker. Unlike recorded ones, they are not deleted while RAM does not show them.
   */
  alsoRemove?: { users: readonly string[]; groups: readonly string[] };
}

const NO_ENTITIES: PolicyEntities = { roles: [], users: [], groups: [] };

export async function observeAuthorized(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  record: InventoryRecord,
  options: ObserveOptions = {},
): Promise<ObservedAuthorized> {
  const limit = options.concurrency ?? 4;
  const full = options.full ?? true;
  const readPrincipalPolicies = full || desired.grant.kind === 'SystemPolicy';
  const recorded = (kind: 'user' | 'group' | 'policy', name: string) =>
    record.has({ side: 'authorized', kind, name });
  const specUserNames = new Set(desired.users.map((u) => u.name));
  const removedUserNames = [
    ...new Set([...record.names('authorized', 'user'), ...(options.alsoRemove?.users ?? [])]),
  ].filter((name) => !specUserNames.has(name));
  const removedGroupNames = [
    ...new Set([...record.names('authorized', 'group'), ...(options.alsoRemove?.groups ?? [])]),
  ].filter((name) => name !== desired.group?.name);
  const staleNames = record
    .names('authorized', 'policy')
    .filter((name) => name !== desired.scopedPolicy.policyName);

  const readSpecUser = async (name: string): Promise<ObservedUser | undefined> => {
    const info = await ram.getUser(name);
    if (!info) return createdThisPass(record, name, ownership);
    const marked = ownsByComments(info.comments, ownership);
    const [listed, loginProfile, policies] = await Promise.all([
      ram.listAccessKeys(name),
      ram.getLoginProfile(name),
      readPrincipalPolicies ? ram.listPoliciesForUser(name) : Promise.resolve(undefined),
    ]);
    const accessKeys = await withStoredKey(listed, name, options);
    const managed = marked || recorded('user', name);
    return {
      name,
      comments: info.comments,
      managed,
      ...(managed && !marked ? { markerMissing: true } : {}),
      accessKeys,
      ...(loginProfile ? { loginProfile } : {}),
      policies,
    };
  };

  const untouched: string[] = [];
  /** Ours to delete: recorded (even unseen), or seen with our marker. Another's marker: never. */
  const removable = (kind: 'user' | 'group', name: string, comments: string | undefined): boolean => {
    const isRecorded = recorded(kind, name);
    if (comments === undefined) return isRecorded;
    if (ownsByComments(comments, ownership)) return true;
    if (isRecorded && !otherOwner(comments, ownership)) return true;
    if (isRecorded) record.forget({ side: 'authorized', kind, name });
    untouched.push(`${kind}/${name}`);
    return false;
  };

  const readRemovedUser = async (name: string): Promise<ObservedRemovedUser | undefined> => {
    const info = await ram.getUser(name);
    if (!removable('user', name, info?.comments)) return undefined;
    return info ? readUserForRemoval(ram, name) : { name, accessKeys: [], policies: [], groups: [] };
  };

  const readGroup = async (name: string, removed: boolean): Promise<ObservedGroup | undefined> => {
    const info = await ram.getGroup(name);
    if (removed && !removable('group', name, info?.comments)) return undefined;
    if (!info) return removed ? { name, comments: '', managed: true, members: [], policies: [] } : undefined;
    const marked = ownsByComments(info.comments, ownership);
    const [members, policies] = await Promise.all([
      ram.listUsersForGroup(name),
      removed || readPrincipalPolicies ? ram.listPoliciesForGroup(name) : Promise.resolve(undefined),
    ]);
    const managed = marked || recorded('group', name);
    return {
      name,
      comments: info.comments,
      managed,
      ...(managed && !marked ? { markerMissing: true } : {}),
      members,
      policies,
    };
  };

  const [specUsers, removedUsers, specGroup, removedGroups, scopedPolicy, staleGrants] = await Promise.all([
    mapLimited(desired.users, limit, (u) => readSpecUser(u.name)),
    mapLimited(removedUserNames, limit, readRemovedUser),
    desired.group ? readGroup(desired.group.name, false) : Promise.resolve(undefined),
    mapLimited(removedGroupNames, limit, (name) => readGroup(name, true)),
    observeScopedPolicy(ram, desired, ownership, record, { full, ...options }),
    mapLimited(staleNames, limit, async (policyName) => ({
      policyName,
      entities:
        (await orUndefined(ram.listEntitiesForPolicy({ policyName, policyType: 'Custom' }))) ?? NO_ENTITIES,
    })),
  ]);

  // A recorded scoped policy that is to go (the grant is no longer Scoped) goes by name, seen or not.
  const scopedName = desired.scopedPolicy.policyName;
  if (!scopedPolicy && desired.grant.kind !== 'Scoped' && recorded('policy', scopedName)) {
    staleGrants.push({ policyName: scopedName, entities: NO_ENTITIES });
  }
  return {
    users: new Map(specUsers.flatMap((u) => (u ? [[u.name, u] as const] : []))),
    removedUsers: removedUsers.flatMap((u) => (u ? [u] : [])),
    ...(specGroup ? { group: specGroup } : {}),
    removedGroups: removedGroups.flatMap((g) => (g ? [g] : [])),
    ...(scopedPolicy ? { scopedPolicy } : {}),
    staleGrants,
    untouched,
  };
}

/** Everything that hangs on an existing user, to delete it (RAM does not cascade). */
export async function readUserForRemoval(ram: RamPort, name: string): Promise<ObservedRemovedUser> {
  const [accessKeys, loginProfile, policies, groups, mfaDevice] = await Promise.all([
    ram.listAccessKeys(name),
    ram.getLoginProfile(name),
    ram.listPoliciesForUser(name),
    ram.listGroupsForUser(name),
    ram.getUserMfaDevice(name),
  ]);
  return {
    name,
    accessKeys,
    ...(loginProfile ? { loginProfile } : {}),
    policies,
    groups,
    ...(mfaDevice ? { mfaDevice } : {}),
  };
}

/** Whether Comments carry another delegation's ownership marker (then the entity is never ours to delete). */
function otherOwner(comments: string, ownership: Ownership): boolean {
  const marker = comments.split(/\s+/).find((word) => word.startsWith(`${ownership.tagKey}=`));
  return marker !== undefined && marker !== ownership.marker;
}

/**
 * A spec user RAM does not show yet although this pass created it (`principals: Users` creates users
 * before the role): it exists, fresh, with nothing attached.
 */
function createdThisPass(
  record: InventoryRecord,
  name: string,
  ownership: Ownership,
): ObservedUser | undefined {
  if (!record.createdThisPass({ side: 'authorized', kind: 'user', name })) return undefined;
  return { name, comments: ownership.marker, managed: true, accessKeys: [], policies: [] };
}

/**
 * The listed keys, plus the stored key when the listing does not show it but the key still works: the
 * listing lags behind the key's creation (a second key would otherwise be issued).
 */
async function withStoredKey(
  listed: AccessKeyInfo[],
  userName: string,
  options: ObserveOptions,
): Promise<AccessKeyInfo[]> {
  const storedId = options.storedKeyIds?.get(userName);
  if (!storedId || !options.storedKeyWorks || listed.some((k) => k.accessKeyId === storedId)) return listed;
  const works = await options.storedKeyWorks(userName);
  return works ? [...listed, { accessKeyId: storedId, status: 'Active', createDate: '' }] : listed;
}

async function observeScopedPolicy(
  ram: RamPort,
  desired: DesiredAuthorized,
  ownership: Ownership,
  record: InventoryRecord,
  options: ObserveOptions & { full: boolean },
): Promise<ObservedScopedPolicy | undefined> {
  const ref: PolicyRef = { policyName: desired.scopedPolicy.policyName, policyType: 'Custom' };
  const policy = await ram.getPolicy(ref);
  if (!policy) return undefined;
  const recorded = record.has({ side: 'authorized', kind: 'policy', name: ref.policyName });
  const readTags = !recorded || options.full;
  const [entities, tags] = await Promise.all([
    ram.listEntitiesForPolicy(ref),
    readTags ? ram.listTags('policy', ref.policyName) : Promise.resolve(undefined),
  ]);
  const owner = ownerOf(
    {
      tags,
      recorded,
      createDate: policy.createDate,
      now: options.now ?? new Date(),
      tagGraceMs: options.tagGraceMs ?? Number.POSITIVE_INFINITY,
    },
    ownership,
  );
  return {
    policyName: policy.policyName,
    description: policy.description,
    document: policy.document,
    managed: owner.kind === 'ours',
    ...(owner.kind === 'ours' && owner.restoreTag ? { restoreTag: true } : {}),
    entities,
  };
}
