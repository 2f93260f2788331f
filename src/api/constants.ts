import { createHash } from 'node:crypto';

/**
 * Names that other tools, manifests and the cloud side depend on. Changing one is a breaking change.
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
 * RAM tag key on every role and custom policy the operator creates; its value is
 * `<cluster>/<namespace>/<name>` of the owning CrossAccountDelegation. RAM users cannot be tagged, so
 * users carry {@link ownershipMarker} in their `Comments` instead.
 */
export const OWNERSHIP_TAG_KEY = `${API_GROUP}/owner`;

/** Annotation that lets a delegation take over entities that exist without its ownership marker. */
export const ADOPT_ANNOTATION = `${API_GROUP}/adopt`;

/**
 * Longest ownership value: RAM tag values and user Comments both stop at 128 characters, and the
 * Comments marker adds the tag key and `=` in front.
 */
export const MAX_OWNERSHIP_VALUE = 128 - OWNERSHIP_TAG_KEY.length - 1;

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

/** Condition types. Ready, OwnerSynced, AuthorizedSynced and AccessVerified are always present once
 * reconciled; Reconciling and Stalled exist only while true (kstatus "abnormal-true" polarity). */
export const ConditionType = {
  Ready: 'Ready',
  OwnerSynced: 'OwnerSynced',
  AuthorizedSynced: 'AuthorizedSynced',
  AccessVerified: 'AccessVerified',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

/** Condition reasons (CamelCase, as metav1.Condition requires). */
export const Reason = {
  /** Everything matches the spec and access was verified. */
  Reconciled: 'Reconciled',
  /** A pass is under way or the cloud is being changed. */
  Progressing: 'Progressing',
  /** The spec failed validation that the CRD could not express (e.g. document size); fix the spec. */
  InvalidSpec: 'InvalidSpec',
  /** A referenced credentials Secret is missing or lacks a key. */
  CredentialsNotFound: 'CredentialsNotFound',
  /** The credentials belong to another account than the declared accountId. */
  CredentialsAccountMismatch: 'CredentialsAccountMismatch',
  /** The operator's credential chain is not allowed for this namespace and no Secret is referenced. */
  CredentialsNotAllowed: 'CredentialsNotAllowed',
  /** A role, policy or user of the same name exists without this delegation's ownership marker. */
  EntityNotManaged: 'EntityNotManaged',
  /** A policy grants `*` on `*` (or is AdministratorAccess) and the operator does not allow that. */
  PolicyTooBroad: 'PolicyTooBroad',
  /** The credentials lack a RAM or STS permission the operator needs. */
  PermissionDenied: 'PermissionDenied',
  /** A RAM quota (roles, policies, versions, keys, attachments) is exhausted. */
  LimitExceeded: 'LimitExceeded',
  /** Alibaba Cloud throttled the operator; it retries with backoff. */
  Throttled: 'Throttled',
  /** A transient cloud or network error; it retries with backoff. */
  TransientError: 'TransientError',
  /** `spec.suspend` is true: the role's policies are detached, nothing else changed. */
  Suspended: 'Suspended',
  /** A B identity obtained STS credentials for the role. */
  AssumeRoleSucceeded: 'AssumeRoleSucceeded',
  /** A B identity could not obtain STS credentials for the role. */
  AssumeRoleFailed: 'AssumeRoleFailed',
  /** Verification did not run yet (a side is not synced). */
  NotVerified: 'NotVerified',
  /** The resource is being deleted and access is being revoked. */
  Revoking: 'Revoking',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
