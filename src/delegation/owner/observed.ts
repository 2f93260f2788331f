import type { PolicyInfo, PolicyRef, PolicyVersionInfo, RoleInfo, Tags } from '../../alicloud/ports.js';
import type { Ownership } from '../ownership.js';

/**
 * What account A holds for one delegation, as read in one pass. Built by observeOwner from RAM, or by
 * hand in tests: planning is a pure function of this and the desired state.
 */

/**
 * Who an existing role or policy belongs to, from its ownership tag: this delegation, nobody (no tag:
 * made by hand or by another tool), or another delegation (its tag value, `<cluster>/<ns>/<name>`).
 */
export type EntityOwner = { kind: 'ours' } | { kind: 'unmarked' } | { kind: 'other'; owner: string };

export interface ObservedRole {
  info: RoleInfo;
  owner: EntityOwner;
  /** The policies attached to the role now (system and custom). */
  attached: PolicyRef[];
}

export interface ObservedPolicy {
  info: PolicyInfo;
  owner: EntityOwner;
  /**
   * All versions, read only when the default version's document differs from the spec (a new version is
   * then needed and the 5-version limit matters). Undefined when not read.
   */
  versions?: PolicyVersionInfo[];
}

export interface ObservedOwner {
  /** The spec's role, or undefined when it does not exist. */
  role: ObservedRole | undefined;
  /** Every custom policy the spec names, by name: undefined when it does not exist. */
  customPolicies: ReadonlyMap<string, ObservedPolicy | undefined>;
  /** Names of all custom policies carrying this delegation's ownership tag (spec or not). */
  taggedPolicies: readonly string[];
}

export function ownerFromTags(tags: Tags, ownership: Ownership): EntityOwner {
  const value = tags[ownership.tagKey];
  if (value === undefined) return { kind: 'unmarked' };
  if (value === ownership.tagValue) return { kind: 'ours' };
  return { kind: 'other', owner: value };
}
