/**
 * Cold converge: N delegations of the minimal shape from nothing to Ready, with the emulator at RAM-like
 * latency and a per-account QPS limit, and the operator's limiter at the same QPS. The lower bound is
 * the declared minimum (declared-minimum.ts) in the busiest account ÷ that account's QPS: the calls the
 * operator made, counted by the emulator, are reported next to it but never enter it.
 */
import {
  createFleet,
  scrape,
  setFaults,
  sumSamples,
  waitFleetReady,
  CLOUD_CALLS,
} from '../test/reliability/fleet.js';
import { startBenchOperator } from './bench-operator.js';
import { DECLARED_MINIMUM, madeVersusDeclared } from './declared-minimum.js';
import { diffCalls, snapshotCalls, sumTallies, total, type CallTally } from './emulator-calls.js';
import { NO_FAULTS, progress, round, type BenchEnvironment } from './support.js';

export const EMULATOR_QPS = 50;
export const EMULATOR_LATENCY_MS = 20;
const WORKERS = 16;

export interface ColdConverge {
  /** The delegations, Ready, for the sections that follow. */
  names: string[];
  /** What the emulator counted while they converged, per account. */
  calls: { owner: CallTally; authorized: CallTally };
  result: Record<string, unknown>;
}

export async function measureColdConverge(
  { env, fleet }: BenchEnvironment,
  count: number,
  quick: boolean,
): Promise<ColdConverge> {
  const { info } = env;
  const accounts = [info.owner.accountId, info.authorized.accountId];
  progress(
    `coldConverge: ${count} delegations, emulator latency ${EMULATOR_LATENCY_MS} ms, ${EMULATOR_QPS} QPS per account`,
  );
  await setFaults(info.emulatorUrl, {
    ...NO_FAULTS,
    latencyMs: EMULATOR_LATENCY_MS,
    qpsPerAccount: EMULATOR_QPS,
  });
  const operator = await startBenchOperator(info, [
    '--resync-period=1h',
    `--workers=${WORKERS}`,
    `--account-qps=${EMULATOR_QPS}`,
    `--account-burst=${EMULATOR_QPS}`,
  ]);
  try {
    const before = await snapshotCalls(info.emulatorUrl, accounts);
    const throttledBefore = sumSamples(await scrape(operator.metricsUrl), CLOUD_CALLS, {
      code: 'Throttling.User',
    });
    const started = Date.now();
    const names = await createFleet(fleet, 'converge', count, 'minimal');
    await waitFleetReady(fleet, 'converge', count, quick ? 60_000 : 900_000, quick ? 100 : 250);
    const seconds = (Date.now() - started) / 1000;
    const made = diffCalls(await snapshotCalls(info.emulatorUrl, accounts), before);
    const throttled =
      sumSamples(await scrape(operator.metricsUrl), CLOUD_CALLS, { code: 'Throttling.User' }) -
      throttledBefore;
    const owner = made[info.owner.accountId] ?? {};
    const authorized = made[info.authorized.accountId] ?? {};
    // One pair of accounts, one credential Secret each: one identity per account.
    const versus = madeVersusDeclared('minimal', count, { owner, authorized });
    // The account's bucket starts full: the first EMULATOR_QPS calls need no wait.
    const busiest = Math.max(versus.declaredMinimumCalls.owner, versus.declaredMinimumCalls.authorized);
    const lowerBound = Math.max(0, busiest - EMULATOR_QPS) / EMULATOR_QPS;
    return {
      names,
      calls: { owner, authorized },
      result: {
        ...versus,
        emulator: { latencyMs: EMULATOR_LATENCY_MS, qpsPerAccount: EMULATOR_QPS },
        operatorFlags: { accountQps: EMULATOR_QPS, accountBurst: EMULATOR_QPS, workers: WORKERS },
        secondsToAllReady: round(seconds),
        throttledCalls: throttled,
        lowerBoundSeconds: round(lowerBound),
        lowerBoundNote: `the declared minimum (${DECLARED_MINIMUM.minimal.owner.perDelegation.length} calls per delegation in A, ${DECLARED_MINIMUM.minimal.authorized.perDelegation.length} in B, plus one GetCallerIdentity per identity) in the busiest account, less the ${EMULATOR_QPS} its full bucket lets through at once, ÷ ${EMULATOR_QPS} calls/s (limits are per account)`,
        ratioToLowerBound: round(seconds / lowerBound),
        createCallsPerDelegation: round(total(sumTallies([owner, authorized])) / count),
      },
    };
  } finally {
    await operator.stop();
    await setFaults(info.emulatorUrl, NO_FAULTS);
  }
}
