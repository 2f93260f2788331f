/**
 * The operator's benchmarks, end to end: our API server and the emulator in this process, the operator
 * as a child process (as in production: its own event loop, its own memory). Prints ONE JSON document
 * on stdout; progress goes to stderr.
 *
 *   revocation          DELETE -> first refused PutEvents with earlier STS credentials (p50, p99, ÷ round trip)
 *   coldConverge        N delegations from nothing to Ready under emulator latency 20 ms and 50 QPS per
 *                       account, against the lower bound (calls needed ÷ QPS)
 *   steadyState         one resync of N Ready delegations: write calls (0), reads per delegation, duration
 *   callsPerDelegation  create, no-op pass, delete (minimal shape)
 *   memory              operator RSS with N Ready delegations
 *
 * Usage: tsx bench/run.ts [--quick]   (--quick: smaller sizes, under a minute on two cores)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandboxEnvironment } from '@ram-delegation/sandbox';
import {
  callCounts,
  createFleet,
  deleteFleet,
  diffCalls,
  fleetFor,
  rssMiB,
  scrape,
  setFaults,
  sleep,
  waitFleetGone,
  waitFleetReady,
  type Fleet,
} from '../test/reliability/fleet.js';
import { addAccountPairs, DELEGATIONS_PER_PAIR } from './owner-accounts.js';
import { measureRevocation } from './revocation.js';
import { startBenchOperator, type BenchOperator } from './bench-operator.js';
import { measureSteadyState } from './steady-state.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;

const SIZES = quick
  ? { revocation: 10, converge: 60, memory: 300, resyncSeconds: 6 }
  : { revocation: 100, converge: 1_000, memory: 10_000, resyncSeconds: 30 };
const EMULATOR_QPS = 50;
const EMULATOR_LATENCY_MS = 20;
const NO_FAULTS = { latencyMs: 0, throttleRate: 0, errorRate: 0, qpsPerAccount: 0 };

const progress = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function coldConverge(fleet: Fleet) {
  progress(
    `coldConverge: ${SIZES.converge} delegations, emulator latency ${EMULATOR_LATENCY_MS} ms, ${EMULATOR_QPS} QPS per account`,
  );
  await setFaults(fleet.sandbox.emulatorUrl, {
    ...NO_FAULTS,
    latencyMs: EMULATOR_LATENCY_MS,
    qpsPerAccount: EMULATOR_QPS,
  });
  const operator = await startBenchOperator(fleet.sandbox, [
    '--resync-period=1h',
    '--workers=16',
    `--account-qps=${EMULATOR_QPS}`,
    `--account-burst=${EMULATOR_QPS}`,
  ]);
  try {
    const before = callCounts(await scrape(operator.metricsUrl));
    const started = Date.now();
    const names = await createFleet(fleet, 'converge', SIZES.converge, 'minimal');
    await waitFleetReady(fleet, 'converge', SIZES.converge, quick ? 40_000 : 600_000, quick ? 250 : 1_000);
    const seconds = (Date.now() - started) / 1000;
    const calls = diffCalls(callCounts(await scrape(operator.metricsUrl)), before);
    const busiest = Math.max(calls.okOwner, calls.okAuthorized);
    const lowerBound = busiest / EMULATOR_QPS;
    return {
      names,
      result: {
        delegations: SIZES.converge,
        emulator: { latencyMs: EMULATOR_LATENCY_MS, qpsPerAccount: EMULATOR_QPS },
        operatorFlags: { accountQps: EMULATOR_QPS, accountBurst: EMULATOR_QPS, workers: 16 },
        secondsToAllReady: round(seconds),
        successfulCalls: { owner: calls.okOwner, authorized: calls.okAuthorized },
        refusedOrFailedCalls: calls.failed,
        lowerBoundSeconds: round(lowerBound),
        lowerBoundNote:
          'successful calls in the busiest account ÷ that account’s QPS (limits are per account)',
        ratioToLowerBound: round(seconds / lowerBound),
        createCallsPerDelegation: round((calls.reads + calls.writes) / SIZES.converge),
      },
    };
  } finally {
    await operator.stop();
    await setFaults(fleet.sandbox.emulatorUrl, NO_FAULTS);
  }
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'ram-delegation-bench-'));
  const startedAt = Date.now();
  const env = await startSandboxEnvironment({ stateDir });
  const fleet = fleetFor(env.info);
  let operator: BenchOperator | undefined;
  try {
    const converge = await coldConverge(fleet);
    progress(`coldConverge result: ${JSON.stringify(converge.result)}`);

    progress(
      `steadyState: one resync of ${SIZES.converge} Ready delegations (--resync-period=${SIZES.resyncSeconds}s)`,
    );
    operator = await startBenchOperator(env.info, [
      `--resync-period=${SIZES.resyncSeconds}s`,
      '--workers=8',
      '--account-qps=1000',
      '--account-burst=1000',
    ]);
    const steady = await measureSteadyState(operator, SIZES.converge, SIZES.resyncSeconds, progress);
    progress(`steadyState result: ${JSON.stringify(steady)}`);

    progress(`delete: ${SIZES.converge} delegations`);
    const beforeDelete = callCounts(await scrape(operator.metricsUrl));
    const deleteStarted = Date.now();
    await deleteFleet(fleet, converge.names);
    await waitFleetGone(fleet, 'converge', quick ? 30_000 : 300_000);
    const deleteSeconds = (Date.now() - deleteStarted) / 1000;
    const deleteCalls = diffCalls(callCounts(await scrape(operator.metricsUrl)), beforeDelete);
    progress(`delete result: ${deleteSeconds} s, ${JSON.stringify(deleteCalls)}`);

    progress(`revocation: ${SIZES.revocation} delegations deleted one at a time`);
    const probes = await createFleet(fleet, 'revoke', SIZES.revocation, 'withUser');
    await waitFleetReady(fleet, 'revoke', SIZES.revocation, quick ? 20_000 : 120_000);
    await sleep(200);
    const revocation = await measureRevocation(fleet, probes, 10_000);
    progress(`revocation result: ${JSON.stringify(revocation)}`);
    await waitFleetGone(fleet, 'revoke', 30_000);
    await operator.stop();
    operator = undefined;

    progress(`memory: ${SIZES.memory} Ready delegations`);
    operator = await startBenchOperator(env.info, [
      '--resync-period=1h',
      '--workers=16',
      '--account-qps=10000',
      '--account-burst=10000',
      '--log-level=warn',
    ]);
    const idleRss = rssMiB(operator.pid);
    const memoryStarted = Date.now();
    // RAM's quotas (roles in A, custom policies in B): spread big fleets over extra account pairs.
    const pairs = [
      env.info,
      ...(await addAccountPairs(env.info, Math.max(0, Math.ceil(SIZES.memory / DELEGATIONS_PER_PAIR) - 1))),
    ];
    await createFleet(fleet, 'memory', SIZES.memory, 'minimal', 32, pairs);
    await waitFleetReady(fleet, 'memory', SIZES.memory, quick ? 30_000 : 1_200_000, quick ? 500 : 5_000);
    const memorySeconds = (Date.now() - memoryStarted) / 1000;
    await sleep(1_000);
    const readyRss = rssMiB(operator.pid);

    const result = {
      mode: quick ? 'quick' : 'full',
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        platform: process.platform,
      },
      revocation,
      coldConverge: converge.result,
      steadyState: steady,
      callsPerDelegation: {
        shape: 'minimal (one system policy, no users)',
        create: converge.result.createCallsPerDelegation,
        noOpPass: steady.callsPerDelegation,
        delete: round((deleteCalls.reads + deleteCalls.writes) / SIZES.converge),
        deleteWrites: round(deleteCalls.writes / SIZES.converge),
        deleteSeconds: round(deleteSeconds),
      },
      memory: {
        delegations: SIZES.memory,
        accountPairs: pairs.length,
        operatorRssMiBIdle: idleRss,
        operatorRssMiBReady: readyRss,
        secondsToAllReady: round(memorySeconds),
      },
      totalSeconds: round((Date.now() - startedAt) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await operator?.stop();
    await env.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
