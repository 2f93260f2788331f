/**
 * Under a hostile cloud (20% throttling, 5% 5xx, 50 ms latency on every call) a fleet of delegations
 * with users still converges to Ready, and deleting them all leaves nothing behind: no managed entity in
 * either account, no stuck finalizer, no Secret the operator wrote.
 *
 * Caveat on time: at a 25% fault rate a pass of ~25 calls rarely completes, and a failed pass doubles
 * the key's backoff (1 s up to 5 min) even when it made progress, so the slowest key sets the pace.
 * The fast size is kept small (12) and the deadlines generous for that reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, deleteFleet, listFleet, setFaults, waitFleetGone, waitFleetReady } from './fleet.js';
import { managedLeftovers, secretLeftovers, SOAK, startRig, type Rig } from './rig.js';

const COUNT = SOAK ? 200 : 12;
const READY_TIMEOUT_MS = SOAK ? 1_800_000 : 240_000;
const GONE_TIMEOUT_MS = SOAK ? 1_800_000 : 240_000;

let rig: Rig;
let names: string[] = [];

beforeAll(async () => {
  rig = await startRig({ extraArgs: ['--workers=8'] });
  await setFaults(rig.env.info.emulatorUrl, {
    throttleRate: 0.2,
    errorRate: 0.05,
    latencyMs: 50,
    qpsPerAccount: 0,
  });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

describe(`chaos: ${COUNT} delegations under throttling, 5xx and latency`, () => {
  it(
    'brings every delegation to Ready',
    async () => {
      names = await createFleet(rig.fleet, 'chaos', COUNT, 'withUser', 8);
      await waitFleetReady(rig.fleet, 'chaos', COUNT, READY_TIMEOUT_MS, 500);
      const items = await listFleet(rig.fleet, 'chaos');
      expect(items).toHaveLength(COUNT);
      for (const cad of items) {
        expect(cad.status.roleArn).toBe(`acs:ram::${rig.env.info.owner.accountId}:role/${cad.metadata.name}`);
        expect((cad.status.conditions as any[]).find((c) => c.type === 'Stalled')).toBeUndefined();
      }
      // The faults really bit: the operator saw throttling and server errors and retried through them.
      const metrics = await (await fetch(rig.metricsUrl)).text();
      expect(metrics).toMatch(
        /ram_delegation_cloud_api_calls_total\{[^}]*code="Throttling[^"]*"[^}]*\} [1-9]/,
      );
    },
    READY_TIMEOUT_MS + 30_000,
  );

  it(
    'deletes them all: nothing left in either account, no finalizer stuck, no Secret left',
    async () => {
      expect(names).toHaveLength(COUNT);
      await deleteFleet(rig.fleet, names, 8);
      await waitFleetGone(rig.fleet, 'chaos', GONE_TIMEOUT_MS, 500);
      expect(await managedLeftovers(rig)).toEqual([]);
      const secrets = await secretLeftovers(rig);
      expect(secrets.extra).toEqual([]);
      expect(secrets.credentialFinalizers).toEqual([]);
    },
    GONE_TIMEOUT_MS + 30_000,
  );
});
