/**
 * Issue #14's acceptance, counted by the emulator's call counter (the ground truth for cloud calls):
 * - steady state: a resync of a Ready delegation makes no write, and reads at most 6 calls for the shape
 *   of examples/minimal.yaml (4 in fact), at most 10 for one custom policy and one Programmatic user,
 *   plus one GetAccessKeyLastUsed (issue #15; 8 + 1 in fact: a resync that changes nothing keeps its
 *   verification instead of assuming the role again);
 * - account size: with 20 Ready delegations into one account B, the reads per delegation per resync are
 *   the same (within 20%) whether B holds 0 or 900 users that no delegation manages, and no pass lists
 *   B's users.
 * "Per resync" is per pass, counted by the operator's own `ram_delegation_reconcile_total` over a window
 * in which every pass is a resync. Counts include every signed call made in A and B: the operator's and
 * the verifying user's AssumeRole.
 */
import { callCounts } from '@ram-delegation/alicloud-emulator';
import { createAccountPorts, staticCredentials, UNLIMITED } from '../../src/alicloud/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFleet,
  deleteFleet,
  RECONCILES,
  scrape,
  sleep,
  sumSamples,
  waitFleetGone,
  waitFleetReady,
} from './fleet.js';
import { startRig, type Rig } from './rig.js';

const RESYNC_SECONDS = 4;
const DELEGATIONS = 20;
const UNRELATED_USERS = 900;
const WINDOW_MS = 3 * RESYNC_SECONDS * 1000;

const WRITE = /^(Create|Delete|Update|Attach|Detach|Tag|Untag|Set|Clear|Add|Remove|Bind|Unbind|Change)/;

interface Tally {
  reads: number;
  writes: number;
  calls: Record<string, number>;
}

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ resyncSeconds: RESYNC_SECONDS, extraArgs: ['--workers=8'] });
}, 60_000);

afterAll(async () => {
  await rig?.stop();
});

async function tally(): Promise<Tally> {
  const calls: Record<string, number> = {};
  for (const accountId of [rig.env.info.owner.accountId, rig.env.info.authorized.accountId]) {
    for (const [call, n] of Object.entries(await callCounts(rig.env.info.emulatorUrl, accountId))) {
      calls[call] = (calls[call] ?? 0) + n;
    }
  }
  let reads = 0;
  let writes = 0;
  for (const [call, n] of Object.entries(calls)) {
    if (WRITE.test(call.slice(call.indexOf(':') + 1))) writes += n;
    else reads += n;
  }
  return { reads, writes, calls };
}

/** Calls per pass over a window of resyncs, once the fleet is Ready and has resynced once. */
async function perPass(): Promise<{
  reads: number;
  writes: number;
  passes: number;
  calls: Record<string, number>;
}> {
  await sleep(RESYNC_SECONDS * 1000 * 1.2);
  const [before, passesBefore] = [await tally(), sumSamples(await scrape(rig.metricsUrl), RECONCILES)];
  await sleep(WINDOW_MS);
  const [after, passesAfter] = [await tally(), sumSamples(await scrape(rig.metricsUrl), RECONCILES)];
  const passes = passesAfter - passesBefore;
  const calls: Record<string, number> = {};
  for (const [call, n] of Object.entries(after.calls)) {
    const d = n - (before.calls[call] ?? 0);
    if (d > 0) calls[call] = d;
  }
  return {
    reads: (after.reads - before.reads) / passes,
    writes: after.writes - before.writes,
    passes,
    calls,
  };
}

describe('cloud calls per resync (issue #14)', () => {
  it('the shape of examples/minimal.yaml: no write, at most 6 reads per resync', async () => {
    const names = await createFleet(rig.fleet, 'small', 4, 'minimal');
    await waitFleetReady(rig.fleet, 'small', 4, 60_000);
    const measured = await perPass();
    console.log('minimal shape, per pass:', measured);
    expect(measured.passes).toBeGreaterThan(4);
    expect(measured.writes).toBe(0);
    expect(measured.reads).toBeLessThanOrEqual(6);
    await deleteFleet(rig.fleet, names);
    await waitFleetGone(rig.fleet, 'small', 60_000);
  }, 120_000);

  it(`${DELEGATIONS} delegations into one account: reads per resync do not grow with ${UNRELATED_USERS} unrelated users`, async () => {
    await createFleet(rig.fleet, 'size', DELEGATIONS, 'withUser', 8);
    await waitFleetReady(rig.fleet, 'size', DELEGATIONS, 120_000);
    const empty = await perPass();
    console.log('one custom policy and one Programmatic user, per pass, B without other users:', empty);
    expect(empty.writes).toBe(0);
    // 8 + 1 exactly per pass; a pass in flight at either end of the window blurs the average a little.
    const lastUsed = (empty.calls['ram:GetAccessKeyLastUsed'] ?? 0) / empty.passes;
    expect(lastUsed).toBeGreaterThan(0.8);
    expect(lastUsed).toBeLessThanOrEqual(1.1);
    expect(empty.reads - lastUsed).toBeLessThanOrEqual(10);
    expect(empty.reads).toBeLessThanOrEqual(9.5);

    const { authorized, emulatorUrl } = rig.env.info;
    const ram = createAccountPorts({
      accountId: authorized.accountId,
      credentials: staticCredentials(authorized),
      endpoints: {
        ram: emulatorUrl.replace('http://', ''),
        sts: emulatorUrl.replace('http://', ''),
        protocol: 'http',
      },
      limiter: UNLIMITED,
    }).ram;
    for (let i = 0; i < UNRELATED_USERS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          ram.createUser({ userName: `unrelated-${i + j}`, displayName: 'not managed', comments: '' }),
        ),
      );
    }
    const crowded = await perPass();
    console.log(`the same, B with ${UNRELATED_USERS} other users:`, crowded);
    expect(crowded.writes).toBe(0);
    expect(Math.abs(crowded.reads - empty.reads)).toBeLessThanOrEqual(0.2 * empty.reads);
    expect(crowded.calls['ram:ListUsers'] ?? 0).toBe(0);
    expect(empty.calls['ram:ListUsers'] ?? 0).toBe(0);
  }, 300_000);
});
