/**
 * The list+watch loop's decisions, driven by hand: a scripted API server (pages, watches, events) and
 * timers that move only when the test says so. What it does against the real API server and its
 * faults is in test/integration/controller/informer.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { Informer } from '../../../src/controller/informer.js';
import type { ListPageRequest } from '../../../src/controller/informer-options.js';
import type { CacheRecord } from '../../../src/controller/record-cache.js';
import type { OpenWatch, WatchEnd, WatchEvent, WatchParams } from '../../../src/controller/watch-stream.js';
import type { Priority } from '../../../src/controller/work-queue.js';
import { ManualTimers, settle } from './manual-timers.js';

interface Obj extends KubernetesObject {
  spec?: { value?: number };
}

/** One watch the informer opened. */
interface ScriptedWatch {
  params: WatchParams;
  aborted: boolean;
  send(event: WatchEvent): void;
  end(end?: WatchEnd): void;
}

class ScriptedServer {
  readonly objects = new Map<string, Obj>();
  readonly lists: ListPageRequest[] = [];
  readonly watches: ScriptedWatch[] = [];
  listFailures = 0;
  revision = 10;

  put(name: string, value: number): Obj {
    const object = {
      metadata: { name, namespace: 'ns', resourceVersion: String(++this.revision) },
      spec: { value },
    };
    this.objects.set(name, object);
    return object;
  }

  listPage = async (request: ListPageRequest): Promise<KubernetesListObject<Obj>> => {
    this.lists.push(request);
    if (this.listFailures > 0) {
      this.listFailures--;
      throw Object.assign(new Error('injected 503'), { statusCode: 503 });
    }
    const names = [...this.objects.keys()].sort();
    const start = request.continue ? names.indexOf(request.continue) : 0;
    const page = names.slice(start, start + request.limit);
    const next = names[start + request.limit];
    return {
      apiVersion: 'v1',
      kind: 'List',
      items: page.map((name) => this.objects.get(name)!),
      metadata: { resourceVersion: String(this.revision), ...(next ? { _continue: next } : {}) },
    };
  };

  openWatch = (
    _kc: unknown,
    _path: string,
    params: WatchParams,
    onEvent: (e: WatchEvent) => void,
  ): OpenWatch => {
    let resolve!: (end: WatchEnd) => void;
    const ended = new Promise<WatchEnd>((r) => (resolve = r));
    const watch: ScriptedWatch = {
      params,
      aborted: false,
      send: (event) => onEvent(event),
      end: (end = {}) => resolve(end),
    };
    this.watches.push(watch);
    return {
      ended,
      abort: () => {
        watch.aborted = true;
        resolve({});
      },
    };
  };

  get lastWatch(): ScriptedWatch {
    return this.watches.at(-1)!;
  }
}

function setup(
  options: {
    relistPeriodMs?: number;
    relistEnqueues?: 'all' | 'changed';
    pageSize?: number;
    /** Keys the sink says have a pass scheduled. */
    scheduled?: readonly string[];
  } = {},
) {
  const server = new ScriptedServer();
  const timers = new ManualTimers();
  const keys: Array<[string, Priority | undefined]> = [];
  const informer = new Informer<Obj, CacheRecord & { value: number }>({
    name: 'test',
    kubeConfig: new KubeConfig(),
    path: '/apis/test/v1/things',
    listPage: server.listPage,
    labelSelector: '!shard',
    project: (object) => ({ fingerprint: String(object.spec?.value), value: object.spec?.value ?? 0 }),
    priorityOf: (record) => (record.value < 0 ? 'urgent' : 'routine'),
    sink: {
      add: (key, priority) => void keys.push([key, priority]),
      isScheduled: (key) => options.scheduled?.includes(key) ?? false,
    },
    timers,
    random: () => 0,
    relistPeriodMs: options.relistPeriodMs ?? 0,
    ...(options.relistEnqueues ? { relistEnqueues: options.relistEnqueues } : {}),
    pageSize: options.pageSize ?? 500,
    openWatch: server.openWatch,
  });
  const keyNames = () => keys.map(([key]) => key);
  return { server, timers, informer, keys, keyNames };
}

const event = (type: WatchEvent['type'], object: object): WatchEvent => ({
  type,
  object: object,
});

describe('Informer (scripted server)', () => {
  it('lists in pages, then watches from the list’s resourceVersion with bookmarks and a 5-10 min timeout', async () => {
    const { server, informer, keyNames } = setup({ pageSize: 2 });
    for (const [i, name] of ['a', 'b', 'c', 'd', 'e'].entries()) server.put(name, i);
    informer.start();
    await settle();
    expect(server.lists.map((l) => [l.limit, l.continue, l.labelSelector])).toEqual([
      [2, undefined, '!shard'],
      [2, 'c', '!shard'],
      [2, 'e', '!shard'],
    ]);
    expect(informer.hasSynced()).toBe(true);
    expect(keyNames()).toEqual(['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e']);
    expect(informer.get('ns', 'c')).toEqual({ fingerprint: '2', value: 2 });
    expect(server.watches).toHaveLength(1);
    expect(server.lastWatch.params).toEqual({
      resourceVersion: '15',
      allowWatchBookmarks: true,
      timeoutSeconds: 300,
      labelSelector: '!shard',
    });
    await informer.stop();
  });

  it('enqueues adds, deletes and fingerprint changes (urgent when the record says so), not other updates', async () => {
    const { server, informer, keys } = setup();
    informer.start();
    await settle();
    const watch = server.lastWatch;
    watch.send(event('ADDED', server.put('x', 1)));
    watch.send(
      event('MODIFIED', {
        ...server.objects.get('x'),
        metadata: { name: 'x', namespace: 'ns', resourceVersion: '30' },
      }),
    );
    watch.send(event('MODIFIED', server.put('x', -1)));
    watch.send(event('DELETED', server.objects.get('x')!));
    watch.send(event('DELETED', { metadata: { name: 'never-seen', namespace: 'ns' } }));
    expect(keys).toEqual([
      ['ns/x', 'routine'],
      ['ns/x', 'urgent'],
      ['ns/x', 'urgent'],
    ]);
    expect(informer.size).toBe(0);
    await informer.stop();
  });

  it('resumes a watch that ended cleanly at once, from the last BOOKMARK', async () => {
    const { server, informer, timers } = setup();
    informer.start();
    await settle();
    server.lastWatch.send(event('BOOKMARK', { metadata: { resourceVersion: '57' } }));
    timers.advance(2_000);
    server.lastWatch.end();
    await settle();
    expect(server.watches).toHaveLength(2);
    expect(server.lastWatch.params.resourceVersion).toBe('57');
    expect(server.lists).toHaveLength(1);
    await informer.stop();
  });

  it('an ERROR other than 410 backs off, then watches again from the same resourceVersion', async () => {
    const { server, informer, timers } = setup();
    informer.start();
    await settle();
    server.lastWatch.send(event('ERROR', { kind: 'Status', code: 500, reason: 'InternalError' }));
    await settle();
    expect(server.watches[0]!.aborted).toBe(true);
    expect(server.watches).toHaveLength(1);
    expect(timers.delays).toEqual([500]);
    timers.advance(500);
    await settle();
    expect(server.watches).toHaveLength(2);
    expect(server.lastWatch.params.resourceVersion).toBe('10');
    expect(server.lists).toHaveLength(1);
    await informer.stop();
  });

  it('a 410, as an ERROR event or as the watch’s HTTP status, relists and reconciles the cache with it', async () => {
    const { server, informer, keyNames } = setup();
    server.put('kept', 1);
    server.put('gone', 2);
    informer.start();
    await settle();
    server.objects.delete('gone');
    server.put('kept', 3);
    server.put('new', 4);
    server.lastWatch.send(event('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }));
    await settle();
    expect(server.lists).toHaveLength(2);
    expect(keyNames()).toEqual(['ns/gone', 'ns/kept', 'ns/kept', 'ns/new', 'ns/gone']);
    expect(informer.get('ns', 'gone')).toBeUndefined();
    expect(server.lastWatch.params.resourceVersion).toBe('14');

    server.lastWatch.end({ error: Object.assign(new Error('gone'), { statusCode: 410 }) });
    await settle();
    expect(server.lists).toHaveLength(3);
    await informer.stop();
  });

  it('failing watches back off exponentially (capped), and a healthy watch resets the backoff', async () => {
    const { server, informer, timers } = setup();
    informer.start();
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      server.lastWatch.end({ error: Object.assign(new Error('refused'), { statusCode: 503 }) });
      await settle();
      delays.push(timers.delays.find((d) => d !== 5_000)!);
      timers.advance(delays.at(-1)!);
      await settle();
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    // A short watch that delivered nothing counts as failed too.
    server.lastWatch.end();
    await settle();
    expect(timers.delays).toContain(30_000);
    timers.advance(30_000);
    await settle();
    timers.advance(1_000);
    server.lastWatch.end();
    await settle();
    expect(server.watches).toHaveLength(11);
    server.lastWatch.end({ error: new Error('cut') });
    await settle();
    expect(timers.delays).toContain(500);
    await informer.stop();
  });

  it('the watchdog aborts a watch that stays silent, and one that outlives its timeout', async () => {
    const { server, informer, timers } = setup();
    informer.start();
    await settle();
    timers.advance(145_000);
    server.lastWatch.send(event('BOOKMARK', { metadata: { resourceVersion: '11' } }));
    timers.advance(145_000);
    expect(server.watches[0]!.aborted).toBe(false);
    timers.advance(10_000);
    expect(server.watches[0]!.aborted).toBe(true);
    await settle();
    expect(server.watches).toHaveLength(2);
    for (let t = 0; t < 330_000; t += 60_000) {
      server.lastWatch.send(event('BOOKMARK', { metadata: { resourceVersion: '12' } }));
      timers.advance(60_000);
    }
    expect(server.watches[1]!.aborted).toBe(true);
    await informer.stop();
  });

  it('failed lists back off and are retried', async () => {
    const { server, informer, timers } = setup();
    server.listFailures = 2;
    informer.start();
    await settle();
    expect(informer.hasSynced()).toBe(false);
    timers.advance(500);
    await settle();
    timers.advance(1_000);
    await settle();
    expect(server.lists).toHaveLength(3);
    expect(informer.hasSynced()).toBe(true);
    await informer.stop();
  });

  it.each([
    ['all', [], ['ns/a', 'ns/b', 'ns/a', 'ns/b']],
    ['all', ['ns/a', 'ns/b'], ['ns/a', 'ns/b', 'ns/b']],
    ['all', ['ns/b'], ['ns/a', 'ns/b', 'ns/a', 'ns/b']],
    ['changed', [], ['ns/a', 'ns/b', 'ns/b']],
  ] as const)('a periodic relist enqueues %s keys (scheduled: %j)', async (mode, scheduled, expected) => {
    const { server, informer, timers, keyNames } = setup({
      relistPeriodMs: 60_000,
      relistEnqueues: mode,
      scheduled,
    });
    server.put('a', 1);
    server.put('b', 2);
    informer.start();
    await settle();
    server.put('b', 5);
    timers.advance(60_000 * 0.9);
    await settle();
    expect(server.lists).toHaveLength(2);
    expect(server.watches[0]!.aborted).toBe(true);
    expect(keyNames()).toEqual(expected);
    await informer.stop();
  });
});
