/**
 * In-process Kubernetes API server with 10,000 custom resources: create rate, full and paged LIST
 * throughput, WATCH throughput (the synthetic ADDED burst of a watch from "0", and live MODIFIED events
 * delivered while patching), and memory. The server runs in this process and the client keeps nothing
 * but counters, so the memory figures are the server's (plus this script's small share).
 * Prints one JSON document. Usage: tsx bench/kube-apiserver.ts [--objects N] [--concurrency C]
 */
import { Agent, request } from 'node:https';
import { parseArgs } from 'node:util';
import { startKubeApiServer, type RunningKubeApiServer } from '../src/index.js';
import { WIDGET_CRD } from '../test/integration/support.js';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    patches: { type: 'string', default: '2000' },
  },
});
const objectCount = Number(values.objects);
const concurrency = Number(values.concurrency);
const patchCount = Math.min(Number(values.patches), objectCount);
const BASE = '/apis/example.com/v1/namespaces/default/widgets';

function call(
  server: RunningKubeApiServer,
  agent: Agent,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method,
        agent,
        ca: server.caCertificate,
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': contentType },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            bytes: buf.length,
            text: buf.length < 4096 ? buf.toString() : '',
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

async function parallel(count: number, work: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Opens a watch and counts event lines until `expected` arrived; resolves with seconds and bytes. */
function countWatch(
  server: RunningKubeApiServer,
  path: string,
  expected: number,
  onOpen: () => void,
): Promise<{ seconds: number; events: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let events = 0;
    const req = request(
      `${server.url}${path}`,
      { ca: server.caCertificate, headers: { Authorization: `Bearer ${server.token}` } },
      (res) => {
        onOpen();
        res.on('data', (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 10) events++;
          if (events >= expected) {
            resolve({ seconds: (performance.now() - started) / 1000, events });
            req.destroy();
          }
        });
      },
    );
    req.on('error', (e) => (events >= expected ? undefined : reject(e)));
    req.end();
  });
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const server = await startKubeApiServer({ port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    global.gc?.();
    const before = process.memoryUsage();
    const crd = await call(
      server,
      agent,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      WIDGET_CRD,
    );
    if (crd.status !== 201) throw new Error(`CRD: ${crd.text}`);
    await new Promise((r) => setTimeout(r, 50));
    const createSeconds = await parallel(objectCount, async (i) => {
      const res = await call(server, agent, 'POST', BASE, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: `w-${String(i).padStart(5, '0')}`, labels: { shard: String(i % 10) } },
        spec: { color: 'blue', size: 1 + (i % 10) },
      });
      if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${res.text}`);
    });

    const listRounds = 5;
    let listBytes = 0;
    const listStart = performance.now();
    for (let i = 0; i < listRounds; i++) listBytes = (await call(server, agent, 'GET', BASE)).bytes;
    const listSeconds = (performance.now() - listStart) / 1000 / listRounds;

    const pagedStart = performance.now();
    const pagedItems = await pagedList(server, agent);
    const pagedSeconds = (performance.now() - pagedStart) / 1000;

    const selectorStart = performance.now();
    await call(server, agent, 'GET', `${BASE}?labelSelector=shard%3D3`);
    const selectorMs = performance.now() - selectorStart;

    const initial = await countWatch(
      server,
      `${BASE}?watch=true&resourceVersion=0`,
      objectCount,
      () => undefined,
    );

    const fromVersion = JSON.parse((await call(server, agent, 'GET', `${BASE}?limit=1`)).text) as {
      metadata: { resourceVersion: string };
    };
    let patching: Promise<number> = Promise.resolve(0);
    const live = await countWatch(
      server,
      `${BASE}?watch=true&resourceVersion=${fromVersion.metadata.resourceVersion}`,
      patchCount,
      () => {
        patching = parallel(patchCount, async (i) => {
          await call(
            server,
            agent,
            'PATCH',
            `${BASE}/w-${String(i).padStart(5, '0')}`,
            { metadata: { labels: { bench: 'patched' } } },
            'application/merge-patch+json',
          );
        });
      },
    );
    const patchSeconds = await patching;

    global.gc?.();
    const after = process.memoryUsage();
    console.log(
      JSON.stringify(
        {
          benchmark: 'kube-apiserver',
          objects: objectCount,
          concurrency,
          create: { seconds: round(createSeconds), perSecond: Math.round(objectCount / createSeconds) },
          list: {
            fullListSeconds: round(listSeconds),
            itemsPerSecond: Math.round(objectCount / listSeconds),
            bodyMiB: mib(listBytes),
            paged500: {
              pages: Math.ceil(pagedItems / 500),
              seconds: round(pagedSeconds),
              itemsPerSecond: Math.round(pagedItems / pagedSeconds),
            },
            labelSelectorMs: Math.round(selectorMs),
          },
          watch: {
            initialAddedEvents: initial.events,
            initialSeconds: round(initial.seconds),
            initialEventsPerSecond: Math.round(initial.events / initial.seconds),
            liveModifiedEvents: patchCount,
            livePatchSeconds: round(patchSeconds),
            liveSeconds: round(live.seconds),
            note: 'live events arrive as fast as the patches are written; the writer is the bound',
            liveEventsPerSecond: Math.round(live.events / live.seconds),
          },
          memory: {
            rssMiB: mib(after.rss),
            heapUsedMiB: mib(after.heapUsed),
            heapUsedGrowthMiB: mib(after.heapUsed - before.heapUsed),
            gcForced: typeof global.gc === 'function',
          },
        },
        null,
        2,
      ),
    );
  } finally {
    agent.destroy();
    await server.stop();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Walks every page of 500 and returns the number of items seen. */
async function pagedList(server: RunningKubeApiServer, agent: Agent): Promise<number> {
  let items = 0;
  let token: string | undefined;
  do {
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}${BASE}?limit=500${token ? `&continue=${token}` : ''}`,
        { agent, ca: server.caCertificate, headers: { Authorization: `Bearer ${server.token}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const page = JSON.parse(text) as { items: unknown[]; metadata: { continue?: string } };
    items += page.items.length;
    token = page.metadata.continue;
  } while (token);
  return items;
}

await main();
