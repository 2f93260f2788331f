import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import {
  API_GROUP,
  API_GROUP_VERSION,
  KIND,
  REPLACED_KEY_ANNOTATION,
  ROTATED_FOR_ANNOTATION,
} from '../api/constants.js';
import type { CrossAccountDelegationObject } from '../api/resource.js';
import type { IssuedCredential } from '../delegation/context.js';
import { CREDENTIAL_KEYS } from './account-access.js';

/**
 * What a Secret the operator writes a user's credentials into looks like, and how to tell that an
 * existing Secret is one of them: the operator overwrites only Secrets it owns (issue #13: never
 * clobber someone else's Secret, its labels or its finalizers).
 */

/** Keys of a Console user's Secret. Programmatic users' Secrets use {@link CREDENTIAL_KEYS}. */
export const LOGIN_KEYS = { userPrincipalName: 'userPrincipalName', password: 'password' } as const;

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ram-delegation-operator';
/** Label with the delegation's name, for `kubectl get secrets -l`; set when the name fits a label value. */
export const DELEGATION_LABEL = `${API_GROUP}/delegation`;
/** Annotation `<namespace>/<name>` of the owning delegation (no length limit, unlike a label). */
export const DELEGATION_ANNOTATION = `${API_GROUP}/delegation`;

/** The delegation a Secret belongs to: its ownerReference makes Kubernetes garbage-collect it too. */
export interface SecretOwner {
  namespace: string;
  name: string;
  uid: string;
}

export function secretOwner(object: CrossAccountDelegationObject): SecretOwner {
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    uid: object.metadata.uid ?? '',
  };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function ownerLabels(owner: SecretOwner): Record<string, string> {
  const fits = owner.name.length <= 63 && LABEL_VALUE.test(owner.name);
  return { [MANAGED_BY_LABEL]: MANAGED_BY, ...(fits ? { [DELEGATION_LABEL]: owner.name } : {}) };
}

function ownerReference(owner: SecretOwner): V1OwnerReference {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: KIND,
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Whether `secret` belongs to the delegation `owner`: it has an owner reference to the delegation's uid,
 * or it has no controlling owner and carries the operator's managed-by label and this delegation's
 * annotation (a Secret restored from a backup, whose owner's uid changed). Anything else is someone
 * else's: never overwritten, never deleted.
 */
export function isOwnedUserSecret(secret: V1Secret, owner: SecretOwner): boolean {
  const references = secret.metadata?.ownerReferences ?? [];
  if (references.some((ref) => ref.uid === owner.uid)) return true;
  if (references.some((ref) => ref.controller)) return false;
  return (
    secret.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
    secret.metadata?.annotations?.[DELEGATION_ANNOTATION] === `${owner.namespace}/${owner.name}`
  );
}

function credentialData(credential: IssuedCredential): Record<string, string> {
  const values: Record<string, string> =
    credential.kind === 'AccessKey'
      ? {
          [CREDENTIAL_KEYS.accessKeyId]: credential.accessKeyId,
          [CREDENTIAL_KEYS.accessKeySecret]: credential.accessKeySecret,
        }
      : {
          [LOGIN_KEYS.userPrincipalName]: credential.userPrincipalName,
          [LOGIN_KEYS.password]: credential.password,
        };
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
  );
}

/**
 * The operator's annotations on a user Secret: the owning delegation, and for an AccessKey the rotation
 * request it answers and the key it replaced, set in the same write as the key, so neither has to be
 * guessed after a crash. `null` (patches only) removes a replaced key a new, unrotated key leaves behind.
 */
function secretAnnotations(owner: SecretOwner, credential: IssuedCredential): Record<string, string | null> {
  const key = credential.kind === 'AccessKey' ? credential : undefined;
  return {
    [DELEGATION_ANNOTATION]: `${owner.namespace}/${owner.name}`,
    ...(key?.rotatedFor !== undefined ? { [ROTATED_FOR_ANNOTATION]: key.rotatedFor } : {}),
    ...(key ? { [REPLACED_KEY_ANNOTATION]: key.replaces ?? null } : {}),
  };
}

const withoutNulls = (annotations: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(annotations).filter((entry): entry is [string, string] => entry[1] !== null),
  );

/** The Secret body for one issued credential, as created when no Secret of that name exists. */
export function userSecret(owner: SecretOwner, secretName: string, credential: IssuedCredential): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: secretName,
      namespace: owner.namespace,
      labels: ownerLabels(owner),
      annotations: withoutNulls(secretAnnotations(owner, credential)),
      ownerReferences: [ownerReference(owner)],
    },
    data: credentialData(credential),
  };
}

/** Every key the operator writes into a user's Secret, of either access mode. */
const WRITTEN_KEYS = [...Object.values(CREDENTIAL_KEYS), ...Object.values(LOGIN_KEYS)];

/**
 * The merge patch that stores `credential` in `existing`, a Secret this delegation owns: guarded by the
 * resourceVersion read (409 when it changed since), it sets the operator's labels, annotation and owner
 * reference and the credential's keys, drops the keys of the other access mode, and leaves every other
 * label, annotation, finalizer, owner reference and data key as it is.
 */
export function userSecretPatch(
  existing: V1Secret,
  owner: SecretOwner,
  credential: IssuedCredential,
): { metadata: object; data: Record<string, string | null> } {
  const data: Record<string, string | null> = credentialData(credential);
  for (const key of WRITTEN_KEYS) if (!(key in data) && existing.data?.[key] !== undefined) data[key] = null;
  const references = existing.metadata?.ownerReferences ?? [];
  const referenced = references.some((ref) => ref.uid === owner.uid);
  return {
    metadata: {
      resourceVersion: existing.metadata?.resourceVersion,
      labels: ownerLabels(owner),
      annotations: secretAnnotations(owner, credential),
      // A merge patch replaces the whole list: send it only when this delegation's reference is missing.
      ...(referenced ? {} : { ownerReferences: [...references, ownerReference(owner)] }),
    },
    data,
  };
}
