import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { API_GROUP_VERSION, KIND } from '../api/constants.js';
import type { CrossAccountDelegationObject } from '../api/resource.js';
import type { DelegationUser } from '../api/spec.js';
import type { IssuedCredential, StoredCredentials } from '../delegation/context.js';
import { CREDENTIAL_KEYS, secretValue } from './account-access.js';
import { SecretNotManagedError } from './errors.js';
import { isConflict, isNotFound } from './kube-clients.js';

/** Keys of a Console user's Secret. Programmatic users' Secrets use {@link CREDENTIAL_KEYS}. */
export const LOGIN_KEYS = { userPrincipalName: 'userPrincipalName', password: 'password' } as const;

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ram-delegation-operator';
export const DELEGATION_LABEL = 'ram-delegation.dev/delegation';

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

/** What the operator holds for its users: ids for the engine, and the keys themselves for verification. */
export interface StoredUserSecrets {
  stored: StoredCredentials;
  /** Programmatic users' AccessKeys, by user name. Never log. */
  accessKeys: Map<string, { accessKeyId: string; accessKeySecret: string }>;
}

const ownedBy = (secret: V1Secret, owner: SecretOwner) =>
  (secret.metadata?.ownerReferences ?? []).some((ref) => ref.uid === owner.uid);

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
  await Promise.all(
    users.map(async (user) => {
      const secret = await readSecret(core, owner.namespace, user.credentialsSecretName);
      if (!secret) return;
      if (!ownedBy(secret, owner)) {
        throw new SecretNotManagedError(
          `Secret ${owner.namespace}/${user.credentialsSecretName} for user ${user.name} exists and is not owned by this delegation`,
        );
      }
      const accessKeyId = secretValue(secret, CREDENTIAL_KEYS.accessKeyId);
      const accessKeySecret = secretValue(secret, CREDENTIAL_KEYS.accessKeySecret);
      if (user.access === 'Programmatic' && accessKeyId && accessKeySecret)
        accessKeys.set(user.name, { accessKeyId, accessKeySecret });
      if (user.access === 'Console' && secretValue(secret, LOGIN_KEYS.password))
        passwordsStored.add(user.name);
    }),
  );
  return {
    accessKeys,
    stored: {
      accessKeyIds: new Map([...accessKeys].map(([user, key]) => [user, key.accessKeyId])),
      passwordsStored,
    },
  };
}

/** The Secret body for one issued credential. */
export function userSecret(owner: SecretOwner, secretName: string, credential: IssuedCredential): V1Secret {
  const stringData: Record<string, string> =
    credential.kind === 'AccessKey'
      ? {
          [CREDENTIAL_KEYS.accessKeyId]: credential.accessKeyId,
          [CREDENTIAL_KEYS.accessKeySecret]: credential.accessKeySecret,
        }
      : {
          [LOGIN_KEYS.userPrincipalName]: credential.userPrincipalName,
          [LOGIN_KEYS.password]: credential.password,
        };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: secretName,
      namespace: owner.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [DELEGATION_LABEL]: owner.name },
      ownerReferences: [
        {
          apiVersion: API_GROUP_VERSION,
          kind: KIND,
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data: Object.fromEntries(
      Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    ),
  };
}

/**
 * Stores freshly issued credentials, replacing the Secret's data when it exists (its previous key was
 * deleted by the engine). Must run before anything else after the engine returns: an unstored key is
 * deleted and reissued by the next pass.
 */
export async function writeUserSecrets(
  core: CoreV1Api,
  owner: SecretOwner,
  users: readonly DelegationUser[],
  issued: readonly IssuedCredential[],
): Promise<void> {
  await Promise.all(
    issued.map(async (credential) => {
      const user = users.find((u) => u.name === credential.userName);
      if (!user) return;
      const body = userSecret(owner, user.credentialsSecretName, credential);
      try {
        await core.createNamespacedSecret({ namespace: owner.namespace, body });
      } catch (error) {
        if (!isConflict(error)) throw error;
        await core.replaceNamespacedSecret({
          namespace: owner.namespace,
          name: user.credentialsSecretName,
          body,
        });
      }
    }),
  );
}

/** Deletes the Secrets this delegation wrote (after revocation); someone else's are left alone. */
export async function deleteUserSecrets(
  core: CoreV1Api,
  owner: SecretOwner,
  secretNames: readonly string[],
): Promise<void> {
  await Promise.all(
    secretNames.map(async (name) => {
      const secret = await readSecret(core, owner.namespace, name);
      if (!secret || !ownedBy(secret, owner)) return;
      try {
        await core.deleteNamespacedSecret({ namespace: owner.namespace, name });
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
