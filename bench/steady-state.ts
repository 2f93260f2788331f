/**
 * Steady state: the operator restarted over N Ready delegations first does its initial pass, then (after
 * `--resync-period`, jittered ±10%) one resync of each. The resync's calls are the metrics delta between
 * the end of the initial pass and the end of the resync; it must make no write call.
 */
import { callCounts, diffCalls, RECONCILES, scrape, sleep, sumSamples } from '../test/reliability/fleet.js';
import type { BenchOperator } from './bench-operator.js';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function reconciles(metricsUrl: string): Promise<number> {
  return sumSamples(await scrape(metricsUrl), RECONCILES);
}

/** Waits until at least `target` passes have finished and the count has not moved for `quietMs`. */
async function settle(
  metricsUrl: string,
  target: number,
  quietMs: number,
  deadline: number,
): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = await reconciles(metricsUrl);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now >= target && Date.now() - since >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) throw new Error(`reconcile passes stuck at ${now}, wanted ${target}`);
    await sleep(50);
  }
}

export async function measureSteadyState(
  operator: BenchOperator,
  count: number,
  resyncSeconds: number,
  progress: (m: string) => void,
) {
  const deadline = Date.now() + resyncSeconds * 3_000 + 120_000;
  const initialPasses = await settle(
    operator.metricsUrl,
    count,
    Math.min(1_500, resyncSeconds * 200),
    deadline,
  );
  const afterInitial = callCounts(await scrape(operator.metricsUrl));
  progress(
    `steadyState: initial pass done (${initialPasses} passes, ${afterInitial.writes} writes); waiting for the resync`,
  );
  let firstAt = 0;
  let lastAt = 0;
  let passes = initialPasses;
  while (passes < initialPasses + count) {
    if (Date.now() > deadline) throw new Error(`resync: ${passes - initialPasses}/${count} passes`);
    await sleep(20);
    const now = await reconciles(operator.metricsUrl);
    if (now > passes) {
      if (firstAt === 0) firstAt = Date.now();
      lastAt = Date.now();
    }
    passes = now;
  }
  const afterResync = callCounts(await scrape(operator.metricsUrl));
  const resync = diffCalls(afterResync, afterInitial);
  return {
    delegations: count,
    resyncPeriodSeconds: resyncSeconds,
    writeCalls: resync.writes,
    readCalls: resync.reads,
    readCallsPerDelegation: round(resync.reads / count),
    callsPerDelegation: round((resync.reads + resync.writes) / count),
    resyncSpreadSeconds: round((lastAt - firstAt) / 1000),
    resyncSpreadNote: 'first to last resync pass; the ±10% jitter spreads them on purpose',
    initialPassAfterRestart: {
      passes: initialPasses,
      writeCalls: afterInitial.writes,
      readCalls: afterInitial.reads,
    },
  };
}
