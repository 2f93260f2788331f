/**
 * Issue 13 acceptance, watch liveness: with the API server cutting every watch after 3 s and failing
 * 10% of the other requests, about ten delegations still become Ready, one created while the faults
 * are on becomes Ready within 30 s (the operator's resync is 10 min, so only its watches can have told
 * it), and deleting them all leaves no managed entity in the emulator and no finalizer stuck.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP, API_VERSION, PLURAL } from '../../src/api/constants.js';
import { httpStatusOf } from '../../src/controller/kube-clients.js';
import { delegationManifest, isReady, sleep } from './fleet.js';
import { managedLeftovers, secretLeftovers, startRig, type Rig } from './rig.js';

const COUNT = 10;
const resource = { group: API_GROUP, version: API_VERSION, plural: PLURAL };

let rig: Rig;

/** Repeats a request the faulty API server failed with a 5xx or 429 (as any client of it must). */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = httpStatusOf(error) ?? 0;
      if (attempt >= 20 || !(status >= 500 || status === 429)) throw error;
      await sleep(100);
    }
  }
}

const namespace = () => rig.env.info.namespace;

async function create(name: string, index: number): Promise<void> {
  const body = delegationManifest(rig.env.info, name, index, 'withUser');
  await retried(async () => {
    try {
      await rig.fleet.api.createNamespacedCustomObject({ ...resource, namespace: namespace(), body });
    } catch (error) {
      if (httpStatusOf(error) !== 409) throw error; // created by an earlier attempt that answered 5xx
    }
  });
}

async function list(): Promise<any[]> {
  const answer: any = await retried(() =>
    rig.fleet.api.listNamespacedCustomObject({ ...resource, namespace: namespace() }),
  );
  return answer.items as any[];
}

async function waitFor(what: string, timeoutMs: number, done: (items: any[]) => boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (done(await list())) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

beforeAll(async () => {
  rig = await startRig({ resyncSeconds: 600, extraArgs: ['--workers=4'] });
  rig.env.kubeApiServer.setFaults({ watchDropAfterMs: 3_000, errorRate: 0.1 });
}, 60_000);

afterAll(async () => {
  rig?.env.kubeApiServer.setFaults({ watchDropAfterMs: 0, errorRate: 0 });
  await rig?.stop();
});

describe('watch liveness under API server faults (watches cut every 3 s, 10% of requests failing)', () => {
  it('brings about ten delegations to Ready', async () => {
    for (let i = 0; i < COUNT; i++) await create('watch', i);
    await waitFor(`${COUNT} delegations Ready`, 180_000, (items) => items.filter(isReady).length === COUNT);
  }, 200_000);

  it('reconciles one created while the faults are on within 30 s', async () => {
    // Long enough for several more cuts since the last change.
    await sleep(7_000);
    const started = Date.now();
    await create('late', 0);
    await waitFor('the late delegation Ready', 30_000, (items) =>
      items.some((item) => item.metadata.name === 'late-0' && isReady(item)),
    );
    const readyAfterMs = Date.now() - started;
    console.log(`created while the faults are on: Ready after ${readyAfterMs} ms`);
    expect(readyAfterMs).toBeLessThan(30_000);
    // The faults really bit: the operator's watches were cut again and again.
    const cuts = rig.logLines.filter((line) => line.includes('watch ended with an error')).length;
    expect(cuts).toBeGreaterThan(5);
  }, 60_000);

  it('deletes them all: 0 managed entities in the emulator, no finalizer stuck', async () => {
    const names = (await list()).map((item) => item.metadata.name as string);
    expect(names).toHaveLength(COUNT + 1);
    for (const name of names)
      await retried(() =>
        rig.fleet.api.deleteNamespacedCustomObject({ ...resource, namespace: namespace(), name }),
      );
    // Each failed pass backs off per key (1 s doubling): with 10% of requests failing, the unluckiest
    // revocation can take a few attempts.
    const tookMs = await waitFor('every delegation gone', 240_000, (items) => items.length === 0);
    console.log(`${names.length} delegations deleted under faults in ${tookMs} ms`);
    expect(await managedLeftovers(rig)).toEqual([]);
    rig.env.kubeApiServer.setFaults({ errorRate: 0 });
    const secrets = await secretLeftovers(rig);
    expect(secrets.credentialFinalizers).toEqual([]);
    expect(secrets.extra).toEqual([]);
  }, 270_000);
});
