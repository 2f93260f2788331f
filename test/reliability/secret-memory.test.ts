/**
 * Issue 13 acceptance, the Secret cache: 5,000 Secrets of 10 kB each that belong to other tools, in
 * other namespaces, grow the operator's resident memory by less than 20 MB, because its Secret watches
 * are label-selected (those Secrets never reach it) and cache no data. Measured from the operator's own
 * `process_resident_memory_bytes` while it runs as a child process; it keeps reconciling afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createFleet, forEachBounded, scrape, sleep, sumSamples, waitFleetReady } from './fleet.js';
import { startRig, type Rig } from './rig.js';

const SECRETS = 5_000;
const NAMESPACES = 10;
const MiB = 2 ** 20;

let rig: Rig;
let core: CoreV1Api;

const operatorRss = async () =>
  sumSamples(await scrape(rig.metricsUrl), 'ram_delegation_process_resident_memory_bytes');

/**
 * The operator's RSS once it has settled. An idle process collects no garbage until V8's memory
 * reducer runs, some tens of seconds after the last work (startup through tsx, a pass): so wait
 * `quietMs` first, then sample every 2 s until ten seconds of samples lie within 3 MiB of each other.
 */
async function settledRss(quietMs: number): Promise<number> {
  await sleep(quietMs);
  const samples: number[] = [];
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    samples.push(await operatorRss());
    const recent = samples.slice(-6);
    if (recent.length === 6 && Math.max(...recent) - Math.min(...recent) < 3 * MiB) break;
    await sleep(2_000);
  }
  return Math.min(...samples.slice(-6));
}

beforeAll(async () => {
  rig = await startRig();
  const kc = new KubeConfig();
  kc.loadFromFile(rig.env.info.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  // One delegation, so the operator has protected (labelled) credential Secrets and a user Secret.
  await createFleet(rig.fleet, 'before', 1, 'withUser');
  await waitFleetReady(rig.fleet, 'before', 1, 60_000);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

describe('memory with 5,000 unrelated 10 kB Secrets', () => {
  it('grows the operator’s RSS by less than 20 MB and keeps it reconciling', async () => {
    const before = await settledRss(80_000);
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
    const after = await settledRss(80_000);
    const growthMiB = (after - before) / MiB;
    console.log(
      `operator RSS ${Math.round(before / MiB)} MiB -> ${Math.round(after / MiB)} MiB (+${growthMiB.toFixed(1)})`,
    );
    expect(growthMiB).toBeLessThan(20);

    // Still watching what matters: a new delegation becomes Ready.
    await createFleet(rig.fleet, 'after', 1, 'withUser');
    await waitFleetReady(rig.fleet, 'after', 1, 60_000);
  }, 420_000);
});
