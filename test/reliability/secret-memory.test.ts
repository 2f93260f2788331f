/**
 * Issue 13 acceptance, the Secret cache: 5,000 Secrets of 10 kB each that belong to other tools, in
 * other namespaces, grow the operator's resident memory by less than 20 MB, because its Secret watches
 * are label-selected (those Secrets never reach it) and cache no data. The operator runs as a child
 * process; each measurement first has it write a heap snapshot (`--heapsnapshot-signal`), which collects
 * its garbage, so both readings see live memory rather than whenever V8 last happened to collect: the
 * RSS from its own `process_resident_memory_bytes`, and the live JS heap from the snapshot. (Writing a
 * snapshot leaves the process holding the writer's buffers, so both RSS readings are well above the
 * operator's usual RSS, by the same amount; the live heap is the exact figure.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createFleet, forEachBounded, scrape, sleep, sumSamples, waitFleetReady } from './fleet.js';
import { startRig, type Rig } from './rig.js';

const SECRETS = 5_000;
const NAMESPACES = 10;
const MiB = 2 ** 20;

let rig: Rig;
let core: CoreV1Api;
const snapshots = mkdtempSync(join(tmpdir(), 'ram-delegation-snapshots-'));
const nodeOptions = process.env.NODE_OPTIONS;

/** The live JS heap (bytes) in a heap snapshot: the sum of every node's self size. */
function liveHeap(file: string): number {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[] } };
    nodes: number[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const size = fields.indexOf('self_size');
  let total = 0;
  for (let i = size; i < snapshot.nodes.length; i += fields.length) total += snapshot.nodes[i] ?? 0;
  return total;
}

/** Has the operator collect its garbage (by writing a heap snapshot), then reads its memory. */
async function memory(): Promise<{ rss: number; heap: number }> {
  const before = new Set(readdirSync(snapshots));
  rig.operator.child.kill('SIGUSR2');
  let file: string | undefined;
  for (let waited = 0; waited < 60_000; waited += 500) {
    await sleep(500);
    const name = readdirSync(snapshots).find((n) => !before.has(n) && n.endsWith('.heapsnapshot'));
    if (!name) continue;
    const path = join(snapshots, name);
    const length = statSync(path).size;
    await sleep(1_000);
    if (statSync(path).size === length && length > 0) {
      file = path;
      break;
    }
  }
  if (!file) throw new Error('the operator wrote no heap snapshot');
  await sleep(2_000);
  const rss = sumSamples(await scrape(rig.metricsUrl), 'ram_delegation_process_resident_memory_bytes');
  const heap = liveHeap(file);
  rmSync(file);
  return { rss, heap };
}

beforeAll(async () => {
  // The operator child inherits this: a signal that makes it collect garbage and write a snapshot.
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`;
  rig = await startRig();
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = nodeOptions;
  const kc = new KubeConfig();
  kc.loadFromFile(rig.env.info.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  // One delegation, so the operator has protected (labelled) credential Secrets and a user Secret.
  await createFleet(rig.fleet, 'before', 1, 'withUser');
  await waitFleetReady(rig.fleet, 'before', 1, 60_000);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  rmSync(snapshots, { recursive: true, force: true });
});

describe('memory with 5,000 unrelated 10 kB Secrets', () => {
  it('grows the operator’s RSS by less than 20 MB and keeps it reconciling', async () => {
    const before = await memory();
    const value = Buffer.alloc(10_000, 'x').toString('base64');
    for (let n = 0; n < NAMESPACES; n++)
      await core.createNamespace({ body: { metadata: { name: `other-tool-${n}` } } });
    await forEachBounded(
      Array.from({ length: SECRETS }, (_, i) => i),
      16,
      async (i) => {
        await core.createNamespacedSecret({
          namespace: `other-tool-${i % NAMESPACES}`,
          body: {
            metadata: { name: `release-${i}`, labels: { owner: 'helm' } },
            type: 'Opaque',
            data: { release: value },
          },
        });
      },
    );
    await sleep(5_000);
    const after = await memory();
    const growth = { rss: (after.rss - before.rss) / MiB, heap: (after.heap - before.heap) / MiB };
    console.log(
      `operator RSS ${(before.rss / MiB).toFixed(1)} -> ${(after.rss / MiB).toFixed(1)} MiB, live heap ${(before.heap / MiB).toFixed(1)} -> ${(after.heap / MiB).toFixed(1)} MiB`,
    );
    expect(growth.rss).toBeLessThan(20);
    // What the old cache would have kept: 5,000 Secrets' data is 65 MiB of base64 text.
    expect(growth.heap).toBeLessThan(5);

    // Still watching what matters: a new delegation becomes Ready.
    await createFleet(rig.fleet, 'after', 1, 'withUser');
    await waitFleetReady(rig.fleet, 'after', 1, 60_000);
  }, 240_000);
});
