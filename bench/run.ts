/**
 * The operator's benchmarks, end to end: our API server and the emulator in this process, the operator
 * as a child process (as in production: its own event loop, its own memory). Prints ONE JSON document
 * on stdout; progress goes to stderr. Every cloud call figure comes from the emulator's own counter.
 *
 *   coldConverge        N delegations from nothing to Ready under emulator latency 20 ms and 50 QPS per
 *                       account, against the lower bound (the declared minimum of calls ÷ QPS)
 *   steadyState         one resync of N Ready delegations: reads per delegation (also with 1,000 unrelated
 *                       users in B), write calls (0); then the N are deleted
 *   callsPerDelegation  create, no-op pass, delete (minimal shape), from the two above
 *   revocation          DELETE -> first refused PutEvents with earlier STS credentials, and -> finalizer
 *                       gone: idle, under authorizationLagMs, and while 1,000 delegations resync
 *   memory              the built operator's RSS with N Ready delegations, settled, and per delegation
 *
 * Usage: tsx bench/run.ts [--quick] [--only <section>] [--delegations <n>] [--heap-snapshot]
 *   --quick          smaller sizes (a few minutes on two cores)
 *   --only           one of coldConverge, steadyState, revocation, memory
 *   --delegations    that section's size (revocation: the delegations resyncing under load)
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { createFleet, waitFleetReady } from '../test/reliability/fleet.js';
import { startBenchOperator } from './bench-operator.js';
import { measureColdConverge, type ColdConverge } from './cold-converge.js';
import { measureMemory } from './memory.js';
import { parseBenchOptions, type BenchOptions } from './options.js';
import { measureRevocation } from './revocation.js';
import { measureSteadyState } from './steady-state.js';
import { progress, round, startBenchEnvironment, type BenchEnvironment } from './support.js';
import { sumTallies, total } from './emulator-calls.js';

/** Ready delegations of the minimal shape for a steadyState run without coldConverge before it. */
async function readyFleet(bench: BenchEnvironment, count: number): Promise<string[]> {
  progress(`steadyState: creating ${count} delegations`);
  const operator = await startBenchOperator(bench.env.info, [
    '--resync-period=1h',
    '--workers=16',
    '--account-qps=1000',
    '--account-burst=1000',
  ]);
  try {
    const names = await createFleet(bench.fleet, 'converge', count, 'minimal');
    await waitFleetReady(bench.fleet, 'converge', count, 900_000, 500);
    return names;
  } finally {
    await operator.stop();
  }
}

async function convergeAndSteadyState(options: BenchOptions) {
  const { sizes, quick } = options;
  const wanted = new Set(options.sections);
  const bench = await startBenchEnvironment();
  try {
    let converge: ColdConverge | undefined;
    if (wanted.has('coldConverge')) {
      converge = await measureColdConverge(bench, sizes.converge, quick);
      progress(`coldConverge result: ${JSON.stringify(converge.result)}`);
    }
    if (!wanted.has('steadyState')) return { coldConverge: converge?.result };
    const names = converge?.names ?? (await readyFleet(bench, sizes.converge));
    const steady = await measureSteadyState(bench, names, {
      resyncSeconds: sizes.resyncSeconds,
      unrelatedUsers: sizes.unrelatedUsers,
      quick,
    });
    progress(`steadyState result: ${JSON.stringify(steady)}`);
    const create = converge
      ? total(sumTallies([converge.calls.owner, converge.calls.authorized]))
      : undefined;
    return {
      coldConverge: converge?.result,
      steadyState: steady.steadyState,
      callsPerDelegation: {
        shape: 'minimal (one system policy, no users)',
        ...(create !== undefined ? { create: round(create / names.length) } : {}),
        noOpPass: steady.steadyState.callsPerDelegation,
        delete: steady.deletion.calls,
        deleteWrites: steady.deletion.writes,
        deleteSeconds: steady.deletion.seconds,
        deleteCallsByAction: steady.deletion.callsByAction,
      },
    };
  } finally {
    await bench.stop();
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const startedAt = Date.now();
  const loadAverage = loadavg().map((n) => round(n, 2));
  const wanted = new Set(options.sections);
  const result: Record<string, unknown> = {
    mode: options.quick ? 'quick' : 'full',
    sections: options.sections,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: process.platform,
      loadAverageAtStart: loadAverage,
    },
  };
  if (wanted.has('coldConverge') || wanted.has('steadyState'))
    Object.assign(result, await convergeAndSteadyState(options));
  if (wanted.has('revocation')) result.revocation = await measureRevocation(options.sizes, options.quick);
  if (wanted.has('memory')) {
    result.memory = await measureMemory(options.sizes, options);
    progress(`memory result: ${JSON.stringify(result.memory)}`);
  }
  result.loadAverageAtEnd = loadavg().map((n) => round(n, 2));
  result.totalSeconds = round((Date.now() - startedAt) / 1000, 1);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
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
