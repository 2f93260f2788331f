import { createHash } from 'node:crypto';

/**
 * Names that other tools, manifests and the cloud side depend on. Changing one is a breaking change.
 * Import them through `constants.ts`, which also carries the condition types and reasons.
 */

export const API_GROUP = 'ram-delegation.dev';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;
export const KIND = 'CrossAccountDelegation';
export const LIST_KIND = 'CrossAccountDelegationList';
export const PLURAL = 'crossaccountdelegations';
export const SINGULAR = 'crossaccountdelegation';
export const SHORT_NAMES = ['cad'] as const;
export const CATEGORIES = ['ram-delegation'] as const;
export const CRD_NAME = `${PLURAL}.${API_GROUP}`;

/**
 * Finalizer on every CrossAccountDelegation: it stays until revocation is complete (or, with
 * `deletionPolicy: Orphan`, until the operator has let go), so access can never outlive the resource.
 */
export const DELEGATION_FINALIZER = `${API_GROUP}/revoke`;

/**
 * Finalizer on credential Secrets while a delegation references them, so that deleting a Secret first
 * cannot strand a revocation that still needs those credentials.
 */
export const SECRET_IN_USE_FINALIZER = `${API_GROUP}/credentials-in-use`;

/**
 * Label on a CrossAccountDelegation that assigns it to a shard: only the operator started with
 * `--shard <value>` reconciles it, and an operator started without `--shard` reconciles only the
 * delegations without this label.
 */
export const SHARD_LABEL = `${API_GROUP}/shard`;

/**
 * Label on credential Secrets the operator watches: it puts `in-use` there together with
 * {@link SECRET_IN_USE_FINALIZER}, and watches only Secrets that carry this key (any value), so
 * unrelated Secrets never reach its cache. Label a credential Secret yourself to have its creation
 * noticed at once by a delegation that waits for it.
 */
export const CREDENTIALS_LABEL = `${API_GROUP}/credentials`;
export const CREDENTIALS_IN_USE = 'in-use';

/**
 * RAM tag key on every role and custom policy the operator creates; its value is
 * `<cluster>/<namespace>/<name>` of the owning CrossAccountDelegation. RAM users cannot be tagged, so
 * users carry {@link ownershipMarker} in their `Comments` instead.
 */
export const OWNERSHIP_TAG_KEY = `${API_GROUP}/owner`;

/** Annotation that lets a delegation take over entities that exist without its ownership marker. */
export const ADOPT_ANNOTATION = `${API_GROUP}/adopt`;

/**
 * Annotation on a delegation: any new value rotates the AccessKey of every Programmatic user now. The
 * user's Secret records the value its key answers in {@link ROTATED_FOR_ANNOTATION}.
 */
export const ROTATE_ACCESS_KEYS_ANNOTATION = `${API_GROUP}/rotate-access-keys`;

/**
 * Annotation on a user Secret the operator writes: the value of {@link ROTATE_ACCESS_KEYS_ANNOTATION}
 * its AccessKey answers, so a request is served once, even across a crash.
 */
export const ROTATED_FOR_ANNOTATION = `${API_GROUP}/rotated-for`;

/**
 * Annotation on a user Secret the operator writes: the id of the AccessKey its key replaced in a
 * rotation, which keeps working through the grace periods. Set with the new key, so which key is the
 * replaced one never has to be guessed, even across a crash.
 */
export const REPLACED_KEY_ANNOTATION = `${API_GROUP}/replaced-access-key`;

/**
 * Longest ownership value: RAM tag values and user Comments both stop at 128 characters, and the
 * Comments marker adds the tag key and `=` in front.
 */
const MAX_OWNERSHIP_VALUE = 128 - OWNERSHIP_TAG_KEY.length - 1;

/**
 * The ownership value of one delegation: `<cluster>/<namespace>/<name>`. A longer one than RAM can hold
 * keeps its start and ends in `~` plus 12 hex digits of its SHA-256, so it stays unique and stable.
 */
export function ownershipValue(cluster: string, namespace: string, name: string): string {
  const value = `${cluster}/${namespace}/${name}`;
  if (value.length <= MAX_OWNERSHIP_VALUE) return value;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 12);
  return `${value.slice(0, MAX_OWNERSHIP_VALUE - 13)}~${digest}`;
}

/** The marker a managed RAM user carries in `Comments` (users are not taggable). */
export function ownershipMarker(cluster: string, namespace: string, name: string): string {
  return `${OWNERSHIP_TAG_KEY}=${ownershipValue(cluster, namespace, name)}`;
}
