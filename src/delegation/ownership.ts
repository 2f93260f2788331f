import { OWNERSHIP_TAG_KEY, ownershipMarker, ownershipValue } from '../api/constants.js';

/** Which CrossAccountDelegation an entity belongs to. */
export interface DelegationIdentity {
  /** The operator's cluster name (configuration), so two clusters never fight over one account. */
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * How one delegation marks what it owns: roles and policies carry the tag `OWNERSHIP_TAG_KEY=tagValue`;
 * users and groups (not taggable in RAM) carry `marker` in their Comments.
 */
export interface Ownership {
  tagKey: string;
  tagValue: string;
  marker: string;
}

export function ownershipOf(identity: DelegationIdentity): Ownership {
  return {
    tagKey: OWNERSHIP_TAG_KEY,
    tagValue: ownershipValue(identity.cluster, identity.namespace, identity.name),
    marker: ownershipMarker(identity.cluster, identity.namespace, identity.name),
  };
}

/** Whether a user's or group's Comments carry this delegation's marker (anywhere in the text). */
export function ownsByComments(comments: string, ownership: Ownership): boolean {
  return comments.split(/\s+/).includes(ownership.marker);
}
