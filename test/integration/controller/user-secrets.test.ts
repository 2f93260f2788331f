/**
 * Issue 13, item 4: the Secrets the operator writes B's users' credentials into, against the API
 * server. A missing Secret is created; an existing one is written only when the delegation owns it,
 * with a merge patch guarded by the resourceVersion just read (a concurrent edit answers 409, nothing
 * is overwritten) that keeps its other labels, annotations and finalizers; someone else's Secret is
 * never written or deleted, and the error names it.
 */
import type { V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelegationUser } from '../../../src/api/spec.js';
import { classifyError } from '../../../src/controller/classify-error.js';
import { SecretNotManagedError } from '../../../src/controller/errors.js';
import { httpStatusOf, mergePatch } from '../../../src/controller/kube-clients.js';
import {
  DELEGATION_ANNOTATION,
  MANAGED_BY,
  MANAGED_BY_LABEL,
} from '../../../src/controller/user-secret-body.js';
import {
  deleteUserSecrets,
  readUserSecrets,
  writeUserSecrets,
  type SecretOwner,
} from '../../../src/controller/user-secrets.js';
import type { IssuedCredential } from '../../../src/delegation/context.js';
import { createDelegation, startKube, type KubeFixture } from './kube-fixture.js';

const NAMESPACE = 'default';
let kube: KubeFixture;
let owner: SecretOwner;

const programmatic = (name: string, secret: string): DelegationUser => ({
  name,
  access: 'Programmatic',
  credentialsSecretName: secret,
});
const consoleUser = (name: string, secret: string): DelegationUser => ({
  name,
  access: 'Console',
  mfaRequired: true,
  credentialsSecretName: secret,
});
const key = (userName: string, n: number): IssuedCredential => ({
  userName,
  kind: 'AccessKey',
  accessKeyId: `LTAI${n}`,
  accessKeySecret: `secret-${n}`,
  createDate: '2026-11-23T09:00:00Z',
});
const decoded = (secret: V1Secret | undefined) =>
  Object.fromEntries(
    Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );

async function read(name: string): Promise<V1Secret | undefined> {
  return kube.core.readNamespacedSecret({ namespace: NAMESPACE, name }).catch((error: unknown) => {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  });
}

beforeAll(async () => {
  kube = await startKube();
  const delegation = await createDelegation(kube, 'secrets-owner');
  owner = { namespace: NAMESPACE, name: 'secrets-owner', uid: delegation.metadata!.uid! };
}, 60_000);
afterAll(async () => {
  await kube?.stop();
});

describe('user Secrets', () => {
  it('creates a missing Secret, owned by the delegation and marked as the operator’s', async () => {
    const user = programmatic('u1', 'u1-ak');
    await writeUserSecrets(kube.core, owner, [user], [key('u1', 1)]);
    const secret = await read('u1-ak');
    expect(decoded(secret)).toEqual({ accessKeyId: 'LTAI1', accessKeySecret: 'secret-1' });
    expect(secret?.metadata?.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY);
    expect(secret?.metadata?.annotations?.[DELEGATION_ANNOTATION]).toBe(`${NAMESPACE}/secrets-owner`);
    expect(secret?.metadata?.ownerReferences).toMatchObject([
      { uid: owner.uid, name: 'secrets-owner', controller: true, blockOwnerDeletion: true },
    ]);
    const stored = await readUserSecrets(kube.core, owner, [user]);
    expect(stored.stored.accessKeyIds.get('u1')).toBe('LTAI1');
  });

  it('rewrites its own Secret with a resourceVersion precondition, keeping what others added', async () => {
    const user = programmatic('u2', 'u2-ak');
    await writeUserSecrets(kube.core, owner, [user], [key('u2', 1)]);
    // Someone adds a label, an annotation, a finalizer and a data key of their own.
    await kube.core.patchNamespacedSecret(
      {
        namespace: NAMESPACE,
        name: 'u2-ak',
        body: {
          metadata: {
            labels: { team: 'b' },
            annotations: { note: 'kept' },
            finalizers: ['example.com/backup'],
          },
          data: { extra: Buffer.from('mine').toString('base64') },
        },
      },
      mergePatch(),
    );
    const before = await read('u2-ak');
    const requests = kube.requests.length;
    await writeUserSecrets(kube.core, owner, [user], [key('u2', 2)]);
    const after = await read('u2-ak');
    expect(decoded(after)).toEqual({ accessKeyId: 'LTAI2', accessKeySecret: 'secret-2', extra: 'mine' });
    expect(after?.metadata?.labels).toMatchObject({ team: 'b', [MANAGED_BY_LABEL]: MANAGED_BY });
    expect(after?.metadata?.annotations).toMatchObject({ note: 'kept' });
    expect(after?.metadata?.finalizers).toEqual(['example.com/backup']);
    expect(after?.metadata?.uid).toBe(before?.metadata?.uid);
    // A merge patch, never a PUT (the ServiceAccount has no update on Secrets).
    const writes = kube.requests.slice(requests).filter((r) => !r.startsWith('GET'));
    expect(writes.map((r) => r.split(' ')[0])).toEqual(['POST', 'PATCH']);
    // Switching the user to Console drops the AccessKey's keys and keeps the stranger's.
    await writeUserSecrets(
      kube.core,
      owner,
      [consoleUser('u2', 'u2-ak')],
      [{ userName: 'u2', kind: 'Password', userPrincipalName: 'u2@b', password: 'pw' }],
    );
    expect(decoded(await read('u2-ak'))).toEqual({
      userPrincipalName: 'u2@b',
      password: 'pw',
      extra: 'mine',
    });
    await kube.core.patchNamespacedSecret(
      { namespace: NAMESPACE, name: 'u2-ak', body: { metadata: { finalizers: null } } },
      mergePatch(),
    );
  });

  it('answers 409 (retryable) when the Secret changes between the read and the write', async () => {
    const user = programmatic('u3', 'u3-ak');
    await writeUserSecrets(kube.core, owner, [user], [key('u3', 1)]);
    // A CoreV1Api whose read is followed, before the write, by someone else's edit.
    const racing = new Proxy(kube.core, {
      get(target, property, receiver) {
        if (property !== 'readNamespacedSecret') return Reflect.get(target, property, receiver);
        return async (input: { namespace: string; name: string }) => {
          const seen = await target.readNamespacedSecret(input);
          await target.replaceNamespacedSecret({
            ...input,
            body: {
              ...seen,
              metadata: { ...seen.metadata, labels: { ...seen.metadata?.labels, edited: 'x' } },
            },
          });
          return seen;
        };
      },
    });
    const failure = await writeUserSecrets(racing, owner, [user], [key('u3', 2)]).catch((e: unknown) => e);
    expect(httpStatusOf(failure)).toBe(409);
    expect(classifyError(failure).retryable).toBe(true);
    expect(decoded(await read('u3-ak')).accessKeyId).toBe('LTAI1');
  });

  it('never writes or deletes a Secret it does not own, and names it', async () => {
    const body: V1Secret = {
      metadata: { name: 'foreign', labels: { app: 'payments' }, finalizers: ['example.com/keep'] },
      data: { accessKeyId: Buffer.from('theirs').toString('base64') },
    };
    await kube.core.createNamespacedSecret({ namespace: NAMESPACE, body });
    const before = await read('foreign');
    const user = programmatic('u4', 'foreign');
    for (const attempt of [
      () => writeUserSecrets(kube.core, owner, [user], [key('u4', 1)]),
      () => readUserSecrets(kube.core, owner, [user]),
    ]) {
      const failure = await attempt().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SecretNotManagedError);
      expect((failure as Error).message).toContain(`Secret ${NAMESPACE}/foreign`);
      expect(classifyError(failure)).toMatchObject({ retryable: false, reason: 'EntityNotManaged' });
    }
    await deleteUserSecrets(kube.core, owner, ['foreign']);
    const after = await read('foreign');
    expect(after?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
    expect(after?.metadata?.deletionTimestamp).toBeUndefined();
    // Carrying the operator's label is not enough: the annotation must name this delegation.
    await kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: 'lookalike',
          labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
          annotations: { [DELEGATION_ANNOTATION]: `${NAMESPACE}/another` },
        },
      },
    });
    await expect(
      writeUserSecrets(kube.core, owner, [programmatic('u5', 'lookalike')], [key('u5', 1)]),
    ).rejects.toBeInstanceOf(SecretNotManagedError);
  });

  it('takes back its own Secret that lost its owner reference (restored from a backup)', async () => {
    await kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: 'restored',
          labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
          annotations: { [DELEGATION_ANNOTATION]: `${NAMESPACE}/secrets-owner` },
        },
        data: { accessKeyId: Buffer.from('old').toString('base64') },
      },
    });
    await writeUserSecrets(kube.core, owner, [programmatic('u6', 'restored')], [key('u6', 6)]);
    const secret = await read('restored');
    expect(decoded(secret)).toEqual({ accessKeyId: 'LTAI6', accessKeySecret: 'secret-6' });
    expect(secret?.metadata?.ownerReferences?.map((r) => r.uid)).toEqual([owner.uid]);
    await deleteUserSecrets(kube.core, owner, ['restored', 'u1-ak', 'never-written']);
    expect(await read('restored')).toBeUndefined();
    expect(await read('u1-ak')).toBeUndefined();
  });
});
