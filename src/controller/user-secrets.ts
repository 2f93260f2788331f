import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { REPLACED_KEY_ANNOTATION, ROTATED_FOR_ANNOTATION } from '../api/constants.js';
import type { DelegationUser } from '../api/spec.js';
import type { IssuedCredential, StoredCredentials } from '../delegation/context.js';
import { CREDENTIAL_KEYS, secretValue } from './account-access.js';
import { SecretNotManagedError } from './errors.js';
import { isConflict, isNotFound, mergePatch, objectKey } from './kube-clients.js';
import { dataAfterMergePatch, type OwnSecretWrites } from './own-secret-writes.js';
import {
  isOwnedUserSecret,
  LOGIN_KEYS,
  userSecret,
  userSecretPatch,
  type SecretOwner,
} from './user-secret-body.js';

export { secretOwner, type SecretOwner } from './user-secret-body.js';

/** What the operator holds for its users: ids for the engine, and the keys themselves for verification. */
export interface StoredUserSecrets {
  stored: StoredCredentials;
  /** Programmatic users' AccessKeys, by user name. Never log. */
  accessKeys: Map<string, { accessKeyId: string; accessKeySecret: string }>;
}

function notManaged(owner: SecretOwner, user: DelegationUser): SecretNotManagedError {
  return new SecretNotManagedError(
    `Secret ${owner.namespace}/${user.credentialsSecretName} for user ${user.name} exists and is not owned by this delegation`,
  );
}

/**
 * Reads the Secrets the operator wrote for the spec's users. A Secret with the user's name that this
 * delegation does not own is someone else's: the pass stops (EntityNotManaged) rather than overwrite it.
 */
export async function readUserSecrets(
  core: CoreV1Api,
  owner: SecretOwner,
  users: readonly DelegationUser[],
): Promise<StoredUserSecrets> {
  const accessKeys = new Map<string, { accessKeyId: string; accessKeySecret: string }>();
  const passwordsStored = new Set<string>();
  const rotatedFor = new Map<string, string>();
  const replacedKeyIds = new Map<string, string>();
  await Promise.all(
    users.map(async (user) => {
      const secret = await readSecret(core, owner.namespace, user.credentialsSecretName);
      if (!secret) return;
      if (!isOwnedUserSecret(secret, owner)) throw notManaged(owner, user);
      const accessKeyId = secretValue(secret, CREDENTIAL_KEYS.accessKeyId);
      const accessKeySecret = secretValue(secret, CREDENTIAL_KEYS.accessKeySecret);
      if (user.access === 'Programmatic' && accessKeyId && accessKeySecret) {
        accessKeys.set(user.name, { accessKeyId, accessKeySecret });
        const annotations = secret.metadata?.annotations ?? {};
        const answered = annotations[ROTATED_FOR_ANNOTATION];
        if (answered !== undefined) rotatedFor.set(user.name, answered);
        const replaced = annotations[REPLACED_KEY_ANNOTATION];
        if (replaced !== undefined) replacedKeyIds.set(user.name, replaced);
      }
      if (user.access === 'Console' && secretValue(secret, LOGIN_KEYS.password))
        passwordsStored.add(user.name);
    }),
  );
  return {
    accessKeys,
    stored: {
      accessKeyIds: new Map([...accessKeys].map(([user, key]) => [user, key.accessKeyId])),
      passwordsStored,
      rotatedFor,
      replacedKeyIds,
    },
  };
}

/**
 * Stores freshly issued credentials. A missing Secret is created. An existing one is written only when
 * this delegation owns it, with a merge patch guarded by the resourceVersion just read, so a concurrent
 * edit answers 409 (the pass is retried) instead of being overwritten, and its other labels,
 * annotations and finalizers stay. Someone else's Secret is never written: SecretNotManagedError
 * (Stalled, EntityNotManaged, naming the Secret). Must run before anything else after the engine
 * returns: an unstored key is deleted and reissued by the next pass. Each write is announced to
 * `ownWrites` first, so that its watch event does not bring the delegation back for a no-op pass.
 */
export async function writeUserSecrets(
  core: CoreV1Api,
  owner: SecretOwner,
  users: readonly DelegationUser[],
  issued: readonly IssuedCredential[],
  ownWrites?: OwnSecretWrites,
): Promise<void> {
  await Promise.all(
    issued.map(async (credential) => {
      const user = users.find((u) => u.name === credential.userName);
      if (!user) return;
      const name = user.credentialsSecretName;
      const key = objectKey(owner.namespace, name);
      try {
        const body = userSecret(owner, name, credential);
        ownWrites?.expect(key, body.data ?? {});
        await core.createNamespacedSecret({ namespace: owner.namespace, body });
        return;
      } catch (error) {
        ownWrites?.forget(key);
        if (!isConflict(error)) throw error;
      }
      const existing = await readSecret(core, owner.namespace, name);
      // Deleted since the create found it: a race, and a retryable one (the next pass creates it).
      if (!existing) throw new Error(`Secret ${owner.namespace}/${name} vanished while being written`);
      if (!isOwnedUserSecret(existing, owner)) throw notManaged(owner, user);
      const patch = userSecretPatch(existing, owner, credential);
      ownWrites?.expect(key, dataAfterMergePatch(existing, patch.data));
      try {
        await core.patchNamespacedSecret({ namespace: owner.namespace, name, body: patch }, mergePatch());
      } catch (error) {
        ownWrites?.forget(key);
        throw error;
      }
    }),
  );
}

/**
 * Deletes the Secrets this delegation wrote (after revocation); someone else's are left alone. The
 * delete is conditioned on the uid and resourceVersion read, so a Secret replaced or re-labelled in
 * between is not deleted on the strength of a stale read (409: the pass looks again).
 */
export async function deleteUserSecrets(
  core: CoreV1Api,
  owner: SecretOwner,
  secretNames: readonly string[],
): Promise<void> {
  await Promise.all(
    secretNames.map(async (name) => {
      const secret = await readSecret(core, owner.namespace, name);
      if (!secret || !isOwnedUserSecret(secret, owner)) return;
      const { uid, resourceVersion } = secret.metadata ?? {};
      try {
        await core.deleteNamespacedSecret({
          namespace: owner.namespace,
          name,
          body: { preconditions: { uid, resourceVersion } },
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }),
  );
}

async function readSecret(core: CoreV1Api, namespace: string, name: string): Promise<V1Secret | undefined> {
  try {
    return await core.readNamespacedSecret({ namespace, name });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
