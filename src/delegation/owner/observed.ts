import type { PolicyInfo, PolicyRef, PolicyVersionInfo, RoleInfo, Tags } from '../../alicloud/ports.js';
import type { Ownership } from '../ownership.js';

/**
 * What account A holds for one delegation, as read in one pass. Built by observeOwner from RAM, or by
 * hand in tests: planning is a pure function of this and the desired state.
 */

/**
 * Who an existing role or policy belongs to: this delegation (its tag, or its record: see
 * inventory.ts), nobody (no tag and not recorded: made by hand or by another tool), or another delegation
 * (its tag value, `<cluster>/<ns>/<name>`). `restoreTag`: ours by the record, old enough that its tag
 * should show by now, and it does not: the tag is put back.
 */
export type EntityOwner =
  { kind: 'ours'; restoreTag?: boolean } | { kind: 'unmarked' } | { kind: 'other'; owner: string };

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
  /** The spec's role, or undefined when RAM does not show it. */
  role: ObservedRole | undefined;
  /** The recorded role's name, when the record has one (it may exist while RAM does not show it). */
  recordedRole?: string;
  /** Every custom policy the spec names, by name: undefined when RAM does not show it. */
  customPolicies: ReadonlyMap<string, ObservedPolicy | undefined>;
  /** Custom policies the record names (spec or not): this delegation's, wherever they are. */
  recordedPolicies: readonly string[];
}

/** How the ownership of one role or policy is decided. */
export interface OwnershipEvidence {
  /** Its tags, or undefined when they were not read (a recorded entity on a resync). */
  tags: Tags | undefined;
  /** The record names it. */
  recorded: boolean;
  /** When RAM created it (ISO-8601; '' unknown). */
  createDate: string;
  now: Date;
  /** How long a new entity's tag may take to show in RAM's tag index. */
  tagGraceMs: number;
}

/**
 * A visible tag decides; another delegation's tag always wins. Without a visible tag the record decides:
 * recorded means ours (RAM's tag index lags), and once the entity is older than the grace period its
 * missing tag is restored.
 */
export function ownerOf(evidence: OwnershipEvidence, ownership: Ownership): EntityOwner {
  const value = evidence.tags?.[ownership.tagKey];
  if (value === ownership.tagValue) return { kind: 'ours' };
  if (value !== undefined) return { kind: 'other', owner: value };
  if (!evidence.recorded) return { kind: 'unmarked' };
  if (evidence.tags === undefined) return { kind: 'ours' };
  const created = Date.parse(evidence.createDate);
  const old = Number.isNaN(created) || evidence.now.getTime() - created > evidence.tagGraceMs;
  return old ? { kind: 'ours', restoreTag: true } : { kind: 'ours' };
}
