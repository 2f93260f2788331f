import type { AccessKeyInfo, LoginProfileInfo, PolicyEntities, PolicyRef } from '../../alicloud/ports.js';

/**
 * What account B holds for one delegation, as read in one pass. Built by observeAuthorized from RAM, or
 * by hand in tests: planning is a pure function of this and the desired state.
 */

/** A spec user as it exists in RAM. */
export interface ObservedUser {
  name: string;
  comments: string;
  /** This delegation's: its Comments carry the marker, or the record names it. */
  managed: boolean;
  /** Managed by the record while its Comments lack the marker: the marker is put back. */
  markerMissing?: boolean;
  accessKeys: AccessKeyInfo[];
  loginProfile?: LoginProfileInfo;
  /** Policies attached to the user directly; undefined when not read (see {@link ObserveOptions}). */
  policies: PolicyRef[] | undefined;
}

/** A user of this delegation the spec no longer names: everything needed to delete it. */
export interface ObservedRemovedUser {
  name: string;
  accessKeys: AccessKeyInfo[];
  loginProfile?: LoginProfileInfo;
  policies: PolicyRef[];
  groups: string[];
  mfaDevice?: string;
}

export interface ObservedGroup {
  name: string;
  comments: string;
  managed: boolean;
  markerMissing?: boolean;
  members: string[];
  /** Undefined when not read. */
  policies: PolicyRef[] | undefined;
}

/** The scoped grant policy under the name this delegation uses. */
export interface ObservedScopedPolicy {
  policyName: string;
  description: string;
  document: string;
  /** This delegation's: tagged as ours, or recorded (RAM's tag index lags behind a create). */
  managed: boolean;
  /** Recorded, old enough that its tag should show, and it does not: the tag is put back. */
  restoreTag?: boolean;
  entities: PolicyEntities;
}

/** A recorded grant policy under another name than the current one (e.g. the role was renamed). */
interface StaleGrant {
  policyName: string;
  /** Empty when RAM does not show the policy (it is deleted by name all the same). */
  entities: PolicyEntities;
}

export interface ObservedAuthorized {
  /** Spec users that exist, by name; a spec user missing here does not exist (as far as RAM shows). */
  users: ReadonlyMap<string, ObservedUser>;
  /** Recorded users the spec no longer names; one RAM does not show has no details (deleted by name). */
  removedUsers: ObservedRemovedUser[];
  /** The spec's group, when it exists. */
  group?: ObservedGroup;
  /** Recorded groups other than the spec's group. */
  removedGroups: ObservedGroup[];
  /** The custom policy named `desired.scopedPolicy.policyName`, when it exists (whatever the grant kind). */
  scopedPolicy?: ObservedScopedPolicy;
  staleGrants: StaleGrant[];
  /** `user/x`, `group/y` that were candidates for removal but are not this delegation's: left alone. */
  untouched: string[];
}
