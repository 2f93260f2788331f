/**
 * The operator's memory with N Ready delegations, measured on the built operator as the image runs it
 * (`node <the Dockerfile's node flags> dist/cli.js operator`; the section runs `npm run build` first). Delegations of the minimal shape
 * are spread over account pairs (RAM's quotas). The RSS (`VmRSS`) is read:
 *
 *   idleRssMiB   after the operator ran `idle` seconds with no delegation
 *   baseline     the same as rssMiB, with N/10 delegations and the same resync rate (passes per second)
 *   rssMiB       settled: once all N are Ready and `settle` seconds have passed with the resyncs running,
 *                the mean of the RSS sampled every 2 s over the last resync period (at least a minute);
 *                settledMaxRssMiB is the highest of those samples
 *   readyRssMiB  at the moment the last of the N became Ready
 *   peakRssMiB   the highest RSS sampled every second, from the first create of the N to the end
 *
 * The resync period is delegations × 60 ms, so the operator always does the work per second of 10,000
 * delegations at the default 10-minute period (each delegation at its own phase). The settle lasts
 * `memorySettleSeconds` (10 minutes) after the last Ready, or one resync period plus two minutes if
 * longer: the same at every size, so V8 has had as long to give back what the converge left. What the
 * resync work keeps in memory is then the same in the baseline and in the measurement, and
 * `bytesPerDelegation` = (rssMiB − baseline) / (N − N/10) is
 * what one more delegation costs: `projectedRssMiBAt10000` adds it up to 10,000. With `--heap-snapshot`
 * the operator writes a V8 heap snapshot at the end of the baseline and of the measurement
 * (bench/heap-snapshot.ts): `liveBytesPerDelegation` is what a delegation keeps alive, without the slack.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorPaths } from '@ram-delegation/sandbox';
import {
  createFleet,
  rssMiB,
  scrape,
  sleep,
  sumSamples,
  waitFleetReady,
  type AccountPair,
} from '../test/reliability/fleet.js';
import { imageNodeFlags, startBenchOperator, type BenchOperator } from './bench-operator.js';
import { summarizeHeapSnapshot, takeHeapSnapshot } from './heap-snapshot.js';
import type { Sizes } from './options.js';
import { addAccountPairs, DELEGATIONS_PER_PAIR } from './owner-accounts.js';
import { progress, round, startBenchEnvironment, type BenchEnvironment } from './support.js';

const MiB = (bytes: number) => round(bytes / 2 ** 20, 1);
const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
/** How long after the last Ready the converge's garbage may still be held (V8's memory reducer). */
const AFTER_READY_SECONDS = 120;
/** How often the RSS is sampled while the operator settles. */
const SAMPLE_SECONDS = 2;
const everyTenSeconds = (trace: readonly number[]) => trace.filter((_, i) => (i + 1) % 5 === 0);
/** 200 MB, the budget for 10,000 delegations (issue #14), in MiB. */
const BUDGET_MIB_AT_10000 = round(200e6 / 2 ** 20, 1);

/** The operator's memory now: RSS and anonymous memory from /proc, the V8 heap from its own metrics. */
async function sample(operator: BenchOperator) {
  const rollup = readFileSync(`/proc/${operator.pid}/smaps_rollup`, 'utf8');
  const anonymous = Number(/Anonymous:\s+(\d+) kB/.exec(rollup)?.[1] ?? 0) * 1024;
  const metrics = await scrape(operator.metricsUrl);
  const metric = (name: string) => sumSamples(metrics, `ram_delegation_${name}`);
  return {
    rssMiB: rssMiB(operator.pid),
    anonymousMiB: MiB(anonymous),
    heapUsedMiB: MiB(metric('nodejs_heap_size_used_bytes')),
    heapTotalMiB: MiB(metric('nodejs_heap_size_total_bytes')),
    externalMiB: MiB(metric('nodejs_external_memory_bytes')),
  };
}

function build(): void {
  progress('memory: npm run build');
  const result = spawnSync('npm', ['run', '-s', 'build'], {
    cwd: operatorPaths.root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.signal})`);
}

/** The resync period that makes `delegations` resync at the pass rate of 10,000 at the default 10 minutes. */
const resyncMsFor = (delegations: number) => delegations * 60;

function startOperator(bench: BenchEnvironment, delegations: number, cwd: string) {
  const args = [`--resync-period=${resyncMsFor(delegations)}ms`, '--workers=16', '--account-qps=10000'];
  return startBenchOperator(bench.env.info, [...args, '--account-burst=10000', '--log-level=warn'], {
    built: true,
    nodeOptions: [...imageNodeFlags(), '--heapsnapshot-signal=SIGUSR2'],
    cwd,
  });
}

interface Stage {
  /** Delegations Ready at the end of the stage (created by this stage and earlier ones). */
  total: number;
  /** The fleet this stage creates, and how many. */
  fleet: string;
  create: number;
}

/** Creates a stage's delegations, waits for all to be Ready, then lets the operator settle. */
async function converge(
  bench: BenchEnvironment,
  operator: BenchOperator,
  stage: Stage,
  pairs: AccountPair[],
  sizes: Sizes,
  quick: boolean,
) {
  const resyncSeconds = resyncMsFor(stage.total) / 1000;
  // Long enough that the last resync period, whose mean is the figure, starts once converging is over.
  const settleSeconds = Math.max(sizes.memorySettleSeconds, Math.ceil(resyncSeconds) + AFTER_READY_SECONDS);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(operator.pid))), 1_000);
  try {
    const started = Date.now();
    await createFleet(bench.fleet, stage.fleet, stage.create, 'minimal', 32, pairs);
    await waitFleetReady(bench.fleet, stage.fleet, stage.create, 1_800_000, quick ? 500 : 2_000);
    const seconds = (Date.now() - started) / 1000;
    const atReady = await sample(operator);
    progress(
      `memory: ${stage.total} Ready in ${seconds} s: ${JSON.stringify(atReady)}; settling ${settleSeconds} s`,
    );
    // RSS rises while a round of resyncs runs and falls when V8's memory reducer returns the garbage in
    // the quiet that follows: the mean over the last resync period (at least a minute) is what the
    // operator holds, the maximum what a memory limit must allow for.
    const trace: number[] = [];
    const windowSamples = Math.ceil(Math.max(60, Math.min(resyncSeconds, settleSeconds)) / SAMPLE_SECONDS);
    for (let waited = 0; waited < settleSeconds; waited += SAMPLE_SECONDS) {
      await sleep(SAMPLE_SECONDS * 1_000);
      trace.push(rssMiB(operator.pid));
    }
    const window = trace.slice(-windowSamples);
    const settled = { ...(await sample(operator)), rssMiB: round(mean(window), 1) };
    const settledMaxRssMiB = Math.max(...window);
    progress(
      `memory: settled ${JSON.stringify(settled)}, max ${settledMaxRssMiB}; RSS every 10 s: ${everyTenSeconds(trace).join(', ')}`,
    );
    return {
      seconds,
      atReady,
      settled,
      settledMaxRssMiB,
      windowSeconds: window.length * SAMPLE_SECONDS,
      trace: everyTenSeconds(trace),
      peak: Math.max(peak, ...trace),
      resyncSeconds,
      settleSeconds,
    };
  } finally {
    clearInterval(sampler);
  }
}

export async function measureMemory(sizes: Sizes, options: { quick: boolean; heapSnapshot: boolean }) {
  const count = sizes.memory;
  const base = Math.max(1, Math.round(count / 10));
  build();
  const bench = await startBenchEnvironment();
  const { info } = bench.env;
  const cwd = mkdtempSync(join(tmpdir(), 'ram-delegation-memory-'));
  const pairs = [
    info,
    ...(await addAccountPairs(info, Math.max(0, Math.ceil(count / DELEGATIONS_PER_PAIR) - 1))),
  ];
  try {
    let operator = await startOperator(bench, base, cwd);
    let idle: Awaited<ReturnType<typeof sample>>;
    let baseline: Awaited<ReturnType<typeof converge>>;
    let baselineSnapshot: string | undefined;
    try {
      await sleep(sizes.memoryIdleSettleSeconds * 1_000);
      idle = await sample(operator);
      progress(`memory: idle ${JSON.stringify(idle)}; baseline of ${base} delegations`);
      baseline = await converge(
        bench,
        operator,
        { total: base, fleet: 'memory-base', create: base },
        pairs,
        sizes,
        options.quick,
      );
      if (options.heapSnapshot) baselineSnapshot = await takeHeapSnapshot(operator, cwd);
    } finally {
      await operator.stop();
    }
    operator = await startOperator(bench, count, cwd);
    try {
      progress(`memory: ${count - base} more, ${count} in all`);
      const full = await converge(
        bench,
        operator,
        { total: count, fleet: 'memory', create: count - base },
        pairs,
        sizes,
        options.quick,
      );
      const passes = sumSamples(await scrape(operator.metricsUrl), 'ram_delegation_reconcile_total');
      const fullSnapshot = options.heapSnapshot ? await takeHeapSnapshot(operator, cwd) : undefined;
      const bytesPerDelegation = Math.round(
        ((full.settled.rssMiB - baseline.settled.rssMiB) * 2 ** 20) / (count - base),
      );
      return {
        delegations: count,
        rssMiB: full.settled.rssMiB,
        idleRssMiB: idle.rssMiB,
        bytesPerDelegation,
        settledMaxRssMiB: full.settledMaxRssMiB,
        peakRssMiB: full.peak,
        readyRssMiB: full.atReady.rssMiB,
        projectedRssMiBAt10000: round(
          full.settled.rssMiB + ((10_000 - count) * bytesPerDelegation) / 2 ** 20,
          1,
        ),
        budgetMiBAt10000: BUDGET_MIB_AT_10000,
        baseline: {
          delegations: base,
          rssMiB: baseline.settled.rssMiB,
          settledMaxRssMiB: baseline.settledMaxRssMiB,
          resyncPeriodSeconds: baseline.resyncSeconds,
          settleSeconds: baseline.settleSeconds,
          settled: baseline.settled,
        },
        settleSeconds: full.settleSeconds,
        settledWindowSeconds: full.windowSeconds,
        resyncPeriodSeconds: full.resyncSeconds,
        reconcilePasses: passes,
        secondsToAllReady: round(full.seconds),
        accountPairs: pairs.length,
        idle,
        atReady: full.atReady,
        settled: full.settled,
        settleRssMiBEvery10s: full.trace,
        ...heapSnapshots(baselineSnapshot, fullSnapshot, count - base),
        operator: `node ${imageNodeFlags().join(' ')} dist/cli.js operator (built, as the image runs it), --workers=16`,
      };
    } finally {
      await operator.stop();
    }
  } finally {
    await bench.stop();
  }
}

/** The two snapshots' summaries and the live heap per delegation between them, when both were taken. */
function heapSnapshots(baseline: string | undefined, full: string | undefined, added: number) {
  if (!baseline || !full) return {};
  const [before, after] = [summarizeHeapSnapshot(baseline), summarizeHeapSnapshot(full)];
  const liveBytesPerDelegation = Math.round(((after.liveMiB - before.liveMiB) * 2 ** 20) / added);
  return { liveBytesPerDelegation, heapSnapshots: { baseline: before, full: after } };
}
