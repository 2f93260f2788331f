import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL } from '../../../src/api/constants.js';
import { Informer } from '../../../src/controller/informer.js';
import {
  createDelegationInformer,
  createSecretInformer,
  delegationFingerprint,
} from '../../../src/controller/delegation-informers.js';
import { delegationResource, mergePatch } from '../../../src/controller/kube-clients.js';
import { createDelegation, eventually, startKube, type KubeFixture } from './kube-fixture.js';

/** A sink that records keys in arrival order. */
function recordingSink() {
  const keys: string[] = [];
  return { keys, add: (key: string) => void keys.push(key) };
}

describe('informers against the API server', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await startKube();
  });
  afterAll(async () => {
    await kube?.stop();
  });

  it('enqueues keys on add, spec update and delete, but not on a status-only update', async () => {
    await kube.core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    await createDelegation(kube, 'existing', 'team-a');
    const sink = recordingSink();
    const informer = createDelegationInformer({
      kubeConfig: kube.kubeConfig,
      customObjects: kube.customObjects,
      sink,
      namespace: 'team-a',
    });
    expect(informer.hasSynced()).toBe(false);
    await informer.start();
    try {
      await eventually(() => expect(informer.hasSynced()).toBe(true));
      expect(sink.keys).toEqual(['team-a/existing']);
      expect(informer.get('team-a', 'existing')?.metadata?.name).toBe('existing');

      await createDelegation(kube, 'added', 'team-a');
      await eventually(() => expect(sink.keys).toEqual(['team-a/existing', 'team-a/added']));

      await kube.customObjects.patchNamespacedCustomObjectStatus(
        {
          ...delegationResource,
          namespace: 'team-a',
          name: 'added',
          body: { status: { observedGeneration: 1 } },
        },
        mergePatch(),
      );
      await kube.customObjects.patchNamespacedCustomObject(
        {
          ...delegationResource,
          namespace: 'team-a',
          name: 'added',
          body: { spec: { role: { description: 'changed' } } },
        },
        mergePatch(),
      );
      await eventually(() => expect(informer.get('team-a', 'added')?.metadata?.generation).toBe(2));
      expect(sink.keys).toEqual(['team-a/existing', 'team-a/added', 'team-a/added']);

      await kube.customObjects.deleteNamespacedCustomObject({
        ...delegationResource,
        namespace: 'team-a',
        name: 'existing',
      });
      await eventually(() => expect(sink.keys.at(-1)).toBe('team-a/existing'));
      expect(informer.get('team-a', 'existing')).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });

  it('restarts after an error and catches up with what changed meanwhile', async () => {
    await kube.core.createNamespace({ body: { metadata: { name: 'team-b' } } });
    await createDelegation(kube, 'first', 'team-b');
    const sink = recordingSink();
    let failuresLeft = 2;
    const informer = new Informer<KubernetesObject>({
      kubeConfig: kube.kubeConfig,
      path: `/apis/${API_GROUP}/${API_VERSION}/namespaces/team-b/${PLURAL}`,
      list: async () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw Object.assign(new Error('injected: API server unavailable'), { statusCode: 503 });
        }
        return (await kube.customObjects.listNamespacedCustomObject({
          ...delegationResource,
          namespace: 'team-b',
        })) as KubernetesListObject<KubernetesObject>;
      },
      fingerprint: delegationFingerprint,
      sink,
      restartBackoff: { baseMs: 100, maxMs: 400, jitter: 0 },
    });
    await informer.start();
    try {
      expect(informer.hasSynced()).toBe(false);
      await createDelegation(kube, 'second', 'team-b');
      await eventually(() => expect(informer.hasSynced()).toBe(true), 5_000);
      expect(informer.restarts).toBe(2);
      expect([...sink.keys].sort()).toEqual(['team-b/first', 'team-b/second']);
      await createDelegation(kube, 'third', 'team-b');
      await eventually(() => expect(sink.keys).toContain('team-b/third'));
    } finally {
      await informer.stop();
    }
  });

  it('maps Secret changes to the delegations that reference them', async () => {
    await kube.core.createNamespace({ body: { metadata: { name: 'team-c' } } });
    await createDelegation(kube, 'uses-a', 'team-c');
    const delegationSink = recordingSink();
    const delegations = createDelegationInformer({
      kubeConfig: kube.kubeConfig,
      customObjects: kube.customObjects,
      sink: delegationSink,
    });
    const sink = recordingSink();
    const secrets = createSecretInformer({
      kubeConfig: kube.kubeConfig,
      core: kube.core,
      delegations,
      sink,
      namespace: 'team-c',
    });
    await delegations.start();
    await secrets.start();
    try {
      await eventually(() => expect(delegations.hasSynced() && secrets.hasSynced()).toBe(true));
      await kube.core.createNamespacedSecret({
        namespace: 'team-c',
        body: { metadata: { name: 'unrelated' }, stringData: { x: 'y' } },
      });
      await kube.core.createNamespacedSecret({
        namespace: 'team-c',
        body: { metadata: { name: 'enterprise-a' }, stringData: { accessKeyId: 'id' } },
      });
      await eventually(() => expect(sink.keys).toEqual(['team-c/uses-a']));
      // The operator's own finalizer on the Secret is no reason for another pass; new content is.
      await kube.core.patchNamespacedSecret(
        {
          namespace: 'team-c',
          name: 'enterprise-a',
          body: { metadata: { finalizers: ['ram-delegation.dev/credentials-in-use'] } },
        },
        mergePatch(),
      );
      await kube.core.patchNamespacedSecret(
        { namespace: 'team-c', name: 'enterprise-a', body: { stringData: { accessKeyId: 'rotated' } } },
        mergePatch(),
      );
      await eventually(() =>
        expect(secrets.get('team-c', 'enterprise-a')?.data?.accessKeyId).toBe(
          Buffer.from('rotated').toString('base64'),
        ),
      );
      expect(sink.keys).toEqual(['team-c/uses-a', 'team-c/uses-a']);
      await kube.core.patchNamespacedSecret(
        { namespace: 'team-c', name: 'enterprise-a', body: { metadata: { finalizers: null } } },
        mergePatch(),
      );
      await kube.core.deleteNamespacedSecret({ namespace: 'team-c', name: 'enterprise-a' });
      await eventually(() => expect(sink.keys).toEqual(['team-c/uses-a', 'team-c/uses-a', 'team-c/uses-a']));
    } finally {
      await secrets.stop();
      await delegations.stop();
    }
  });
});
