/**
 * Revocation latency (revocation-probe.ts times one), three ways, delegations deleted one at a time:
 *
 *   plain                  an otherwise idle operator; compared with one emulator round trip
 *   withAuthorizationLag   the emulator's authorization lagging RAM's writes by up to `authorizationLagMs`
 *                          (as on the real cloud: a detached policy keeps working for a while)
 *   underLoad              while N other delegations resync back to back (see LOAD)
 */
import {
  createFleet,
  RECONCILES,
  scrape,
  setFaults,
  sleep,
  sumSamples,
  waitFleetReady,
} from '../test/reliability/fleet.js';
import { startBenchOperator } from './bench-operator.js';
import { madeVersusDeclared } from './declared-minimum.js';
import { diffCalls, snapshotCalls } from './emulator-calls.js';
import { addAccountPairs } from './owner-accounts.js';
import { revocationProbe, type RevocationTiming } from './revocation-probe.js';
import type { Sizes } from './options.js';
import {
  latencyStats,
  NO_FAULTS,
  progress,
  round,
  startBenchEnvironment,
  type BenchEnvironment,
} from './support.js';

const AUTHORIZATION_LAG_MS = 1_500;
/**
 * The load: the cold converge's RAM-like account (20 ms per call, the operator's limiter at 50 calls/s
 * per account) and 16 workers, with a 10 s resync period that N delegations cannot keep up with, so
 * every worker and every account's limiter is busy with routine passes all the time.
 */
const LOAD = { resyncPeriod: '10s', workers: 16, accountQps: 50, accountBurst: 50, emulatorLatencyMs: 20 };
/** An operator that is quick to set things up. */
const FAST = ['--resync-period=1h', '--workers=16', '--account-qps=1000', '--account-burst=1000'];

async function revokeEach(bench: BenchEnvironment, names: readonly string[], deadlineMs: number, gapMs = 0) {
  const probe = revocationProbe(bench.fleet);
  const timings: RevocationTiming[] = [];
  for (const name of names) {
    timings.push(await probe.revoke(name, deadlineMs));
    if (gapMs > 0) await sleep(Math.random() * gapMs);
  }
  return {
    delegations: names.length,
    ...latencyStats(timings.map((t) => t.refusedMs)),
    finalizerGone: latencyStats(timings.map((t) => t.goneMs)),
    roundTripsMs: timings.flatMap((t) => t.roundTripsMs),
  };
}

async function plainAndLagged(sizes: Sizes, quick: boolean) {
  const bench = await startBenchEnvironment();
  const { info } = bench.env;
  const operator = await startBenchOperator(info, [
    '--resync-period=10m',
    '--workers=4',
    '--account-qps=1000',
    '--account-burst=1000',
  ]);
  try {
    const total = sizes.revocations + sizes.revocationsUnderLag;
    const accounts = { owner: info.owner.accountId, authorized: info.authorized.accountId };
    const before = await snapshotCalls(info.emulatorUrl, Object.values(accounts));
    const names = await createFleet(bench.fleet, 'revoke', total, 'withUser');
    await waitFleetReady(bench.fleet, 'revoke', total, quick ? 60_000 : 300_000);
    await sleep(2_000); // the second pass a new user Secret brings (see docs/benchmarks.md)
    const made = diffCalls(await snapshotCalls(info.emulatorUrl, Object.values(accounts)), before);
    const creation = madeVersusDeclared('withUser', total, {
      owner: made[accounts.owner] ?? {},
      authorized: made[accounts.authorized] ?? {},
    });
    progress(`revocation: ${sizes.revocations} delegations deleted one at a time`);
    const plain = await revokeEach(bench, names.slice(0, sizes.revocations), 10_000);
    const roundTrip = latencyStats(plain.roundTripsMs).p50Ms;
    progress(
      `revocation: ${sizes.revocationsUnderLag} more under authorizationLagMs ${AUTHORIZATION_LAG_MS}`,
    );
    await setFaults(info.emulatorUrl, { authorizationLagMs: AUTHORIZATION_LAG_MS });
    const lagged = await revokeEach(bench, names.slice(sizes.revocations), 10_000 + AUTHORIZATION_LAG_MS);
    const { roundTripsMs: _plainTrips, ...plainResult } = plain;
    const { roundTripsMs: _laggedTrips, ...laggedResult } = lagged;
    return {
      ...plainResult,
      emulatorRoundTripMs: round(roundTrip, 3),
      p50OverRoundTrip: round(plain.p50Ms / roundTrip, 1),
      p99OverRoundTrip: round(plain.p99Ms / roundTrip, 1),
      withAuthorizationLag: { authorizationLagMs: AUTHORIZATION_LAG_MS, ...laggedResult },
      probeCreation: creation,
    };
  } finally {
    await operator.stop();
    await bench.stop();
  }
}

async function underLoad(sizes: Sizes, quick: boolean) {
  const bench = await startBenchEnvironment();
  const { info } = bench.env;
  const load = sizes.loadDelegations;
  const probes = sizes.revocationsUnderLoad;
  progress(`revocation.underLoad: setting up ${load} delegations to resync and ${probes} to revoke`);
  // RAM's quota of 1,000 roles per account: the load is spread over two pairs; the probes share the first.
  const pairs = [info, ...(await addAccountPairs(info, 1))];
  let operator = await startBenchOperator(info, FAST);
  let names: string[];
  try {
    await createFleet(bench.fleet, 'load', load, 'minimal', 32, pairs);
    names = await createFleet(bench.fleet, 'probe', probes, 'withUser');
    await waitFleetReady(bench.fleet, 'load', load, quick ? 120_000 : 600_000, 1_000);
    await waitFleetReady(bench.fleet, 'probe', probes, 120_000, 1_000);
  } finally {
    await operator.stop();
  }
  await setFaults(info.emulatorUrl, { ...NO_FAULTS, latencyMs: LOAD.emulatorLatencyMs });
  operator = await startBenchOperator(info, [
    `--resync-period=${LOAD.resyncPeriod}`,
    `--workers=${LOAD.workers}`,
    `--account-qps=${LOAD.accountQps}`,
    `--account-burst=${LOAD.accountBurst}`,
  ]);
  try {
    const passes = async () => sumSamples(await scrape(operator.metricsUrl), RECONCILES);
    // The restart enqueues every delegation: let the workers and the limiters fill up first.
    while ((await passes()) < LOAD.workers * 5) await sleep(200);
    progress(`revocation.underLoad: ${probes} delegations deleted one at a time while ${load} resync`);
    const passesBefore = await passes();
    const started = Date.now();
    const result = await revokeEach(bench, names, 60_000, 300);
    const seconds = (Date.now() - started) / 1000;
    const { roundTripsMs: _trips, ...figures } = result;
    return {
      delegationsResyncing: load,
      ...figures,
      passesPerSecondMeanwhile: round(((await passes()) - passesBefore) / seconds, 1),
      operatorFlags: {
        resyncPeriod: LOAD.resyncPeriod,
        workers: LOAD.workers,
        accountQps: LOAD.accountQps,
        accountBurst: LOAD.accountBurst,
      },
      emulator: { latencyMs: LOAD.emulatorLatencyMs },
    };
  } finally {
    await operator.stop();
    await bench.stop();
  }
}

export async function measureRevocation(sizes: Sizes, quick: boolean) {
  const plain = await plainAndLagged(sizes, quick);
  progress(`revocation result: ${JSON.stringify(plain)}`);
  const loaded = await underLoad(sizes, quick);
  progress(`revocation.underLoad result: ${JSON.stringify(loaded)}`);
  return { ...plain, underLoad: loaded };
}
