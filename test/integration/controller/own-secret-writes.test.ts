/**
 * The watch event of a user Secret the operator itself wrote does not bring its delegation back for a
 * no-op pass; anyone else's change to the Secret's content still does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePatch } from '../../../src/controller/kube-clients.js';
import { OwnSecretWrites } from '../../../src/controller/own-secret-writes.js';
import { createUserSecretInformer } from '../../../src/controller/secret-informers.js';
import { writeUserSecrets, type SecretOwner } from '../../../src/controller/user-secrets.js';
import type { IssuedCredential } from '../../../src/delegation/context.js';
import { createDelegation, eventually, startKube, type KubeFixture } from './kube-fixture.js';

const NAMESPACE = 'default';
let kube: KubeFixture;
let owner: SecretOwner;

const key = (n: number): IssuedCredential => ({
  userName: 'u1',
  kind: 'AccessKey',
  accessKeyId: `LTAI${n}`,
  accessKeySecret: `secret-${n}`,
  createDate: '2026-11-23T09:00:00Z',
});
const user = { name: 'u1', access: 'Programmatic', credentialsSecretName: 'u1-ak' } as const;

beforeAll(async () => {
  kube = await startKube();
  const delegation = await createDelegation(kube, 'writes-own');
  owner = { namespace: NAMESPACE, name: 'writes-own', uid: delegation.metadata!.uid! };
}, 60_000);
afterAll(async () => {
  await kube?.stop();
});

describe("the operator's own user Secret writes", () => {
  it('enqueue nothing; an edit of the content by someone else enqueues the delegation', async () => {
    const ownWrites = new OwnSecretWrites();
    const enqueued: string[] = [];
    const informer = createUserSecretInformer({
      kubeConfig: kube.kubeConfig,
      core: kube.core,
      namespace: NAMESPACE,
      sink: { add: (delegation) => void enqueued.push(delegation) },
      isOwnWrite: (secret, fingerprint) => ownWrites.isOwnWrite(secret, fingerprint),
    });
    informer.start();
    try {
      await eventually(() => expect(informer.hasSynced()).toBe(true));
      // Created, then rewritten (a rotation: the merge-patch path): both seen, neither enqueued.
      await writeUserSecrets(kube.core, owner, [user], [key(1)], ownWrites);
      await eventually(() => expect(informer.size).toBe(1));
      const created = informer.get(NAMESPACE, 'u1-ak')?.fingerprint;
      await writeUserSecrets(kube.core, owner, [user], [key(2)], ownWrites);
      await eventually(() => expect(informer.get(NAMESPACE, 'u1-ak')?.fingerprint).not.toBe(created));
      expect(ownWrites.size).toBe(0);
      expect(enqueued).toEqual([]);
      // Someone else's edit of the data is news for the delegation.
      await kube.core.patchNamespacedSecret(
        {
          namespace: NAMESPACE,
          name: 'u1-ak',
          body: { data: { accessKeyId: Buffer.from('edited').toString('base64') } },
        },
        mergePatch(),
      );
      await eventually(() => expect(enqueued).toEqual([`${NAMESPACE}/writes-own`]));
      // Without the expectations (an operator that did not announce its write), its write is news too.
      await writeUserSecrets(kube.core, owner, [user], [key(3)]);
      await eventually(() => expect(enqueued).toHaveLength(2));
    } finally {
      await informer.stop();
    }
  });
});
