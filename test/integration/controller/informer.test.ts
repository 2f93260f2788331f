/**
 * The informers against the API server, through the real client: what they enqueue, label selection
 * (shards, Secrets), and how the list+watch loop lives through the server's watch timeouts, BOOKMARKs,
 * 410s and injected faults.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL, SHARD_LABEL } from '../../../src/api/constants.js';
import { CredentialSecrets } from '../../../src/controller/credential-secrets.js';
import { createDelegationInformer, delegationRecord } from '../../../src/controller/delegation-informers.js';
import { Informer } from '../../../src/controller/informer.js';
import {
  createKubeClients,
  delegationResource,
  loadKubeConfig,
  mergePatch,
  type KubeClients,
} from '../../../src/controller/kube-clients.js';
import {
  CredentialIndex,
  createCredentialSecretInformer,
  createUserSecretInformer,
} from '../../../src/controller/secret-informers.js';
import type { Priority } from '../../../src/controller/work-queue.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';
import {
  createDelegation,
  delegationManifest,
  eventually,
  startKube,
  type KubeFixture,
} from './kube-fixture.js';

/** A sink that records keys (and their lanes) in arrival order. */
function recordingSink() {
  const entries: Array<[string, Priority | undefined]> = [];
  return {
    entries,
    get keys() {
      return entries.map(([key]) => key);
    },
    add: (key: string, priority?: Priority) => void entries.push([key, priority]),
  };
}

/** A plain delegation informer over one namespace, built like the operator's but with test settings. */
function rawInformer(
  kube: KubeClients,
  namespace: string,
  sink: ReturnType<typeof recordingSink>,
  extra: { watchTimeoutSeconds?: { min: number; max: number }; watchIdleMs?: number } = {},
) {
  return new Informer<KubernetesObject, ReturnType<typeof delegationRecord>>({
    name: 'test',
    kubeConfig: kube.kubeConfig,
    path: `/apis/${API_GROUP}/${API_VERSION}/namespaces/${namespace}/${PLURAL}`,
    listPage: (page) =>
      kube.customObjects.listNamespacedCustomObject({
        ...delegationResource,
        namespace,
        limit: page.limit,
        _continue: page.continue,
      }) as Promise<KubernetesListObject<KubernetesObject>>,
    project: (object) => delegationRecord(object, new Date()),
    sink,
    backoff: { baseMs: 50, maxMs: 400, jitter: 0.5 },
    ...extra,
  });
}

const namespaceOf = async (kube: KubeClients, name: string) =>
  kube.core.createNamespace({ body: { metadata: { name } } });

describe('informers against the API server', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await startKube({ bookmarkIntervalMs: 200 });
  });
  afterAll(async () => {
    await kube?.stop();
  });

  it('enqueues on add, spec update and delete (urgent once deletion starts), not on a status-only update', async () => {
    await namespaceOf(kube, 'team-a');
    await createDelegation(kube, 'existing', 'team-a');
    const sink = recordingSink();
    const informer = createDelegationInformer({
      kubeConfig: kube.kubeConfig,
      customObjects: kube.customObjects,
      sink,
      namespace: 'team-a',
    });
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    try {
      await eventually(() => expect(informer.hasSynced()).toBe(true));
      expect(sink.keys).toEqual(['team-a/existing']);
      expect(informer.get('team-a', 'existing')).toMatchObject({
        ready: 'Unknown',
        credentials: ['enterprise-a', 'enterprise-b'],
      });

      const body = delegationManifest('added', 'team-a');
      body.metadata!.finalizers = ['example.com/hold'];
      await kube.customObjects.createNamespacedCustomObject({
        ...delegationResource,
        namespace: 'team-a',
        body,
      });
      await eventually(() => expect(sink.keys).toEqual(['team-a/existing', 'team-a/added']));
      const patch = (body: object, status = false) => {
        const target = { ...delegationResource, namespace: 'team-a', name: 'added', body };
        return status
          ? kube.customObjects.patchNamespacedCustomObjectStatus(target, mergePatch())
          : kube.customObjects.patchNamespacedCustomObject(target, mergePatch());
      };
      await patch(
        {
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Reconciled',
                message: '',
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        },
        true,
      );
      await patch({ spec: { role: { description: 'changed' } } });
      await eventually(() => expect(sink.keys).toHaveLength(3));
      expect(informer.get('team-a', 'added')?.ready).toBe('True');

      await kube.customObjects.deleteNamespacedCustomObject({
        ...delegationResource,
        namespace: 'team-a',
        name: 'added',
      });
      await eventually(() => expect(sink.entries.at(-1)).toEqual(['team-a/added', 'urgent']));
      expect(informer.get('team-a', 'added')?.revocation).toBe('deletion');
      await patch({ metadata: { finalizers: null } });
      await eventually(() => expect(informer.get('team-a', 'added')).toBeUndefined());
      expect(sink.entries.slice(2)).toEqual([
        ['team-a/added', 'routine'],
        ['team-a/added', 'urgent'],
        ['team-a/added', 'urgent'],
      ]);
    } finally {
      await informer.stop();
    }
  });

  it('a shard watches only its own delegations; relabelling one moves it like a delete here and an add there', async () => {
    await namespaceOf(kube, 'sharded');
    const unsharded = recordingSink();
    const blue = recordingSink();
    const informers = [undefined, 'blue'].map((shard) =>
      createDelegationInformer({
        kubeConfig: kube.kubeConfig,
        customObjects: kube.customObjects,
        sink: shard ? blue : unsharded,
        namespace: 'sharded',
        ...(shard ? { shard } : {}),
      }),
    );
    const labelled = delegationManifest('blue-one', 'sharded');
    labelled.metadata!.labels = { [SHARD_LABEL]: 'blue' };
    await kube.customObjects.createNamespacedCustomObject({
      ...delegationResource,
      namespace: 'sharded',
      body: labelled,
    });
    await createDelegation(kube, 'plain', 'sharded');
    informers.forEach((informer) => informer.start());
    try {
      await eventually(() => expect(informers.every((i) => i.hasSynced())).toBe(true));
      expect(unsharded.keys).toEqual(['sharded/plain']);
      expect(blue.keys).toEqual(['sharded/blue-one']);
      await kube.customObjects.patchNamespacedCustomObject(
        {
          ...delegationResource,
          namespace: 'sharded',
          name: 'plain',
          body: { metadata: { labels: { [SHARD_LABEL]: 'blue' } } },
        },
        mergePatch(),
      );
      await eventually(() => expect(blue.keys).toEqual(['sharded/blue-one', 'sharded/plain']));
      await eventually(() => expect(informers[0]!.get('sharded', 'plain')).toBeUndefined());
      // Gone from this shard's watch: the key is enqueued (the pass will find it is not ours), not as a revocation.
      expect(unsharded.entries).toEqual([
        ['sharded/plain', 'routine'],
        ['sharded/plain', 'routine'],
      ]);
    } finally {
      await Promise.all(informers.map((informer) => informer.stop()));
    }
  });

  it('sends timeoutSeconds: the server ends each watch then, and the informer resumes without relisting', async () => {
    await namespaceOf(kube, 'timeouts');
    const sink = recordingSink();
    const informer = rawInformer(kube, 'timeouts', sink, { watchTimeoutSeconds: { min: 1, max: 1 } });
    informer.start();
    try {
      await eventually(() => expect(informer.counts.watches).toBeGreaterThanOrEqual(3), 6_000);
      await createDelegation(kube, 'after-timeouts', 'timeouts');
      await eventually(() => expect(sink.keys).toEqual(['timeouts/after-timeouts']));
      expect(informer.counts.lists).toBe(1);
    } finally {
      await informer.stop();
    }
  });

  it('BOOKMARKs keep the resume point fresh through unrelated churn; without them a resume gets 410 and relists', async () => {
    const quiet = await startKube({ historyLimit: 20, bookmarkIntervalMs: 100 });
    const noisy = await startKube({ historyLimit: 20, bookmarkIntervalMs: 600_000 });
    try {
      const results: number[] = [];
      for (const fixture of [quiet, noisy]) {
        await namespaceOf(fixture, 'watched');
        await namespaceOf(fixture, 'busy');
        const sink = recordingSink();
        const informer = rawInformer(fixture, 'watched', sink);
        informer.start();
        await eventually(() => expect(informer.hasSynced()).toBe(true));
        // More changes elsewhere than the server's history keeps.
        for (let i = 0; i < 30; i++) await createDelegation(fixture, `busy-${i}`, 'busy');
        await new Promise((resolve) => setTimeout(resolve, 400));
        fixture.server.setFaults({ watchDropAfterMs: 1 });
        await eventually(() => expect(informer.counts.watches).toBeGreaterThanOrEqual(2));
        fixture.server.setFaults({ watchDropAfterMs: 0 });
        await createDelegation(fixture, 'seen', 'watched');
        await eventually(() => expect(sink.keys).toContain('watched/seen'));
        results.push(informer.counts.lists);
        await informer.stop();
      }
      expect(results).toEqual([1, 2]);
    } finally {
      await Promise.all([quiet.stop(), noisy.stop()]);
    }
  });

  it('a watch gone silent on a dead connection is aborted by the watchdog and resumed; nothing is missed', async () => {
    await namespaceOf(kube, 'frozen');
    const proxy = await startTcpProxy(kube.server.port);
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'ram-delegation-proxy-')), 'kubeconfig');
      writeFileSync(
        path,
        readFileSync(kube.kubeconfigPath, 'utf8').replace(`:${kube.server.port}`, `:${proxy.port}`),
      );
      const viaProxy = createKubeClients(loadKubeConfig(path));
      const sink = recordingSink();
      // Bookmarks come every 200 ms: a watch silent for 1.5 s is dead.
      const informer = rawInformer(viaProxy, 'frozen', sink, { watchIdleMs: 1_500 });
      informer.start();
      await eventually(() => expect(informer.hasSynced()).toBe(true));
      proxy.freeze();
      await createDelegation(kube, 'while-frozen', 'frozen');
      await eventually(() => expect(sink.keys).toEqual(['frozen/while-frozen']), 10_000);
      expect(informer.counts).toEqual({ watches: 2, lists: 1 });
      await informer.stop();
    } finally {
      await proxy.close();
    }
  });

  it('with watches dropped every 300 ms and 30% of requests failing, every delegation created meanwhile is enqueued', async () => {
    const faulty = await startKube();
    try {
      await namespaceOf(faulty, 'faulty');
      const sink = recordingSink();
      const informer = rawInformer(faulty, 'faulty', sink);
      faulty.server.setFaults({ watchDropAfterMs: 300, errorRate: 0.3 });
      informer.start();
      const names = Array.from({ length: 10 }, (_, i) => `during-${i}`);
      for (const name of names) {
        await eventually(() => createDelegation(faulty, name, 'faulty'), 10_000, 20);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await eventually(
        () => expect(new Set(sink.keys)).toEqual(new Set(names.map((n) => `faulty/${n}`))),
        10_000,
      );
      // The watches really were dropped and resumed (how many times depends on the machine's pace).
      await eventually(() => expect(informer.counts.watches).toBeGreaterThanOrEqual(3), 10_000);
      await informer.stop();
    } finally {
      await faulty.stop();
    }
  });

  it('watches only labelled Secrets: a credential Secret’s content change enqueues its delegations; a user Secret its owner', async () => {
    await namespaceOf(kube, 'team-c');
    const sink = recordingSink();
    const index = new CredentialIndex();
    index.update(
      'team-c/uses-a',
      { fingerprint: 'f', ready: 'Unknown', revocation: undefined, credentials: ['enterprise-a'] },
      undefined,
    );
    index.update(
      'team-c/also-a',
      { fingerprint: 'f', ready: 'Unknown', revocation: undefined, credentials: ['enterprise-a'] },
      undefined,
    );
    const options = { kubeConfig: kube.kubeConfig, core: kube.core, sink, namespace: 'team-c' };
    const informers = [
      createCredentialSecretInformer({ ...options, index }),
      createUserSecretInformer(options),
    ];
    informers.forEach((informer) => informer.start());
    try {
      await eventually(() => expect(informers.every((i) => i.hasSynced())).toBe(true));
      await kube.core.createNamespacedSecret({
        namespace: 'team-c',
        body: { metadata: { name: 'unrelated' }, stringData: { x: 'y' } },
      });
      await kube.core.createNamespacedSecret({
        namespace: 'team-c',
        body: { metadata: { name: 'enterprise-a' }, stringData: { accessKeyId: 'id', accessKeySecret: 's' } },
      });
      // Protecting it (finalizer and label, as a pass does) brings it into view: one pass for its users.
      await new CredentialSecrets({ core: kube.core, stillReferenced: () => true }).protect('team-c', [
        'enterprise-a',
      ]);
      await eventually(() => expect(sink.keys.sort()).toEqual(['team-c/also-a', 'team-c/uses-a']));
      await kube.core.patchNamespacedSecret(
        {
          namespace: 'team-c',
          name: 'enterprise-a',
          body: { metadata: { annotations: { note: 'not a content change' } } },
        },
        mergePatch(),
      );
      await kube.core.patchNamespacedSecret(
        { namespace: 'team-c', name: 'enterprise-a', body: { stringData: { accessKeyId: 'rotated' } } },
        mergePatch(),
      );
      await eventually(() => expect(sink.keys).toHaveLength(4));
      await kube.core.createNamespacedSecret({
        namespace: 'team-c',
        body: {
          metadata: {
            name: 'user-ak',
            labels: {
              'app.kubernetes.io/managed-by': 'ram-delegation-operator',
              'ram-delegation.dev/delegation': 'owner-d',
            },
          },
          stringData: { accessKeyId: 'u' },
        },
      });
      await kube.core.deleteNamespacedSecret({ namespace: 'team-c', name: 'unrelated' });
      await eventually(() => expect(sink.keys.at(-1)).toBe('team-c/owner-d'));
      expect(sink.keys).toHaveLength(5);
      expect(informers[0]!.size + informers[1]!.size).toBe(2);
    } finally {
      await Promise.all(informers.map((informer) => informer.stop()));
    }
  });
});
