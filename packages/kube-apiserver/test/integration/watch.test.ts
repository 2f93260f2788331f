import { CustomObjectsApi, makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubeApiServer } from '../../src/index.js';
import {
  WIDGETS,
  installWidgetCrd,
  kubeConfigFor,
  raw,
  startTestServer,
  watchEvents,
  widget,
} from './support.js';

let server: RunningKubeApiServer;

beforeAll(async () => {
  server = await startTestServer({ historyLimit: 20, bookmarkIntervalMs: 100 });
  await installWidgetCrd(server);
});

afterAll(async () => {
  await server.stop();
});

const MERGE = { 'Content-Type': 'application/merge-patch+json' };

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('watch', () => {
  it('starts with synthetic ADDED events, then only later changes from a resourceVersion', async () => {
    await raw(server, 'POST', WIDGETS, widget('wa'));
    const initial = await watchEvents(server, `${WIDGETS}?watch=true&fieldSelector=metadata.name=wa`, {
      until: (e) => e.length >= 1,
    });
    expect(initial.events.map((e) => e.type)).toEqual(['ADDED']);
    const rv = initial.events[0].object.metadata.resourceVersion;
    await raw(server, 'PATCH', `${WIDGETS}/wa`, { spec: { size: 4 } }, MERGE);
    const later = await watchEvents(
      server,
      `${WIDGETS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name=wa`,
      {
        until: (e) => e.length >= 1,
      },
    );
    expect(later.events.map((e) => [e.type, e.object.spec.size])).toEqual([['MODIFIED', 4]]);
  });

  it('turns label selector transitions into ADDED and DELETED', async () => {
    await raw(server, 'POST', WIDGETS, widget('wl'));
    const watching = watchEvents(server, `${WIDGETS}?watch=true&labelSelector=tier%3Dgold`, {
      until: (e) => e.length >= 2,
    });
    await new Promise((r) => setTimeout(r, 50));
    await raw(server, 'PATCH', `${WIDGETS}/wl`, { metadata: { labels: { tier: 'gold' } } }, MERGE);
    await raw(server, 'PATCH', `${WIDGETS}/wl`, { metadata: { labels: { tier: 'silver' } } }, MERGE);
    const { events } = await watching;
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'wl'],
      ['DELETED', 'wl'],
    ]);
  });

  it('closes cleanly after timeoutSeconds', async () => {
    const started = Date.now();
    const { ended } = await watchEvents(server, `${WIDGETS}?watch=true&timeoutSeconds=1&resourceVersion=0`, {
      maxMs: 4000,
    });
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('sends BOOKMARKs only when allowed', async () => {
    const rv = (await raw(server, 'GET', WIDGETS)).json.metadata.resourceVersion;
    const without = await watchEvents(server, `${WIDGETS}?watch=true&resourceVersion=${rv}`, { maxMs: 350 });
    expect(without.events).toEqual([]);
    const withBookmarks = await watchEvents(
      server,
      `${WIDGETS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
      {
        until: (e) => e.length >= 1,
      },
    );
    expect(withBookmarks.events[0]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Widget', metadata: { resourceVersion: expect.any(String) } },
    });
  });

  it('sends an ERROR 410 Expired event and closes for a resourceVersion older than the history', async () => {
    const old = (await raw(server, 'GET', WIDGETS)).json.metadata.resourceVersion;
    for (let i = 0; i < 25; i++)
      await raw(server, 'PATCH', `${WIDGETS}/wa`, { metadata: { labels: { n: String(i) } } }, MERGE);
    const { events, ended } = await watchEvents(server, `${WIDGETS}?watch=true&resourceVersion=${old}`, {
      maxMs: 2000,
    });
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(events[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('streams Table rows when asked for as=Table', async () => {
    const { events } = await watchEvents(server, `${WIDGETS}?watch=true&fieldSelector=metadata.name=wa`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      until: (e) => e.length >= 1,
    });
    const table = events[0].object;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Color',
      'Size',
      'Ready',
      'Age',
    ]);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['wa', 'blue', 4]);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
});

describe('client-node informer', () => {
  it('sees ADDED, MODIFIED and DELETED', async () => {
    const kc = kubeConfigFor(server);
    const api = kc.makeApiClient(CustomObjectsApi);
    const informer = makeInformer<KubernetesObject>(
      kc,
      '/apis/example.com/v1/namespaces/informed/widgets',
      () =>
        api.listNamespacedCustomObject({
          group: 'example.com',
          version: 'v1',
          namespace: 'informed',
          plural: 'widgets',
        }) as any,
    );
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'informed' } });
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    const base = '/apis/example.com/v1/namespaces/informed/widgets';
    await raw(server, 'POST', base, widget('i1'));
    await waitFor(() => seen.includes('add:i1'));
    await raw(server, 'PATCH', `${base}/i1`, { spec: { size: 9 } }, MERGE);
    await waitFor(() => seen.includes('update:i1'));
    await raw(server, 'DELETE', `${base}/i1`);
    await waitFor(() => seen.includes('delete:i1'));
    await informer.stop();
    expect(seen).toEqual(['add:i1', 'update:i1', 'delete:i1']);
  });

  it('relists after a 410 from an expired resourceVersion', async () => {
    const kc = kubeConfigFor(server);
    const api = kc.makeApiClient(CustomObjectsApi);
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'relist' } });
    const base = '/apis/example.com/v1/namespaces/relist/widgets';
    await raw(server, 'POST', base, widget('r1'));
    let lists = 0;
    const informer = makeInformer<KubernetesObject>(kc, base, async () => {
      lists++;
      const list: any = await api.listNamespacedCustomObject({
        group: 'example.com',
        version: 'v1',
        namespace: 'relist',
        plural: 'widgets',
      });
      // The first list claims an old resourceVersion, as if the watch had fallen behind the history.
      if (lists === 1) list.metadata.resourceVersion = '1';
      return list;
    });
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    await waitFor(() => lists >= 2);
    await raw(server, 'POST', base, widget('r2'));
    await waitFor(() => informer.list('relist').length === 2);
    expect(errors).toEqual([]);
    await informer.stop();
    expect(
      informer
        .list('relist')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['r1', 'r2']);
  });
});

describe('list', () => {
  it('pages with limit/continue and refuses an expired continue token with 410', async () => {
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'paged' } });
    const base = '/apis/example.com/v1/namespaces/paged/widgets';
    for (let i = 0; i < 5; i++) await raw(server, 'POST', base, widget(`p${i}`));
    const first = await raw(server, 'GET', `${base}?limit=2`);
    expect(first.json.items.map((o: any) => o.metadata.name)).toEqual(['p0', 'p1']);
    expect(first.json.metadata.remainingItemCount).toBe(3);
    const second = await raw(server, 'GET', `${base}?limit=2&continue=${first.json.metadata.continue}`);
    expect(second.json.items.map((o: any) => o.metadata.name)).toEqual(['p2', 'p3']);
    const third = await raw(server, 'GET', `${base}?limit=2&continue=${second.json.metadata.continue}`);
    expect(third.json.items.map((o: any) => o.metadata.name)).toEqual(['p4']);
    expect(third.json.metadata.continue).toBeUndefined();
    for (let i = 0; i < 25; i++)
      await raw(server, 'PATCH', `${base}/p0`, { metadata: { labels: { n: String(i) } } }, MERGE);
    const expired = await raw(server, 'GET', `${base}?limit=2&continue=${first.json.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.json.reason).toBe('Expired');
  });

  it('filters by every label selector operator', async () => {
    await raw(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'labels' } });
    const base = '/apis/example.com/v1/namespaces/labels/widgets';
    await raw(server, 'POST', base, widget('a', undefined, { labels: { env: 'prod', tier: 'web' } }));
    await raw(server, 'POST', base, widget('b', undefined, { labels: { env: 'dev' } }));
    await raw(server, 'POST', base, widget('c'));
    const names = async (selector: string): Promise<string[]> =>
      (await raw(server, 'GET', `${base}?labelSelector=${encodeURIComponent(selector)}`)).json.items.map(
        (o: any) => o.metadata.name,
      );
    const cases: [string, string[]][] = [
      ['env=prod', ['a']],
      ['env==dev', ['b']],
      ['env!=prod', ['b', 'c']],
      ['env in (prod,dev)', ['a', 'b']],
      ['env notin (prod)', ['b', 'c']],
      ['tier', ['a']],
      ['!env', ['c']],
      ['env,!tier', ['b']],
    ];
    for (const [selector, expected] of cases) expect(await names(selector), selector).toEqual(expected);
  });

  it('refuses an unsupported field label with 400', async () => {
    const res = await raw(server, 'GET', `${WIDGETS}?fieldSelector=spec.color%3Dblue`);
    expect(res.status).toBe(400);
    expect(res.json.message).toBe('field label not supported: spec.color');
  });
});
