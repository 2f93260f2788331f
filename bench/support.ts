/** What every benchmark section shares: progress on stderr, rounding, percentiles, a fresh sandbox. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { fleetFor, type Fleet } from '../test/reliability/fleet.js';

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** The nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/** p50, p99 and max of some latencies, in milliseconds rounded to 0.1. */
export function latencyStats(values: readonly number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted[sorted.length - 1] ?? NaN, 1),
  };
}

/** The emulator's faults all off (`PUT /_emulator/faults` takes the whole wire-fault set). */
export const NO_FAULTS = { latencyMs: 0, throttleRate: 0, errorRate: 0, qpsPerAccount: 0 };

export interface BenchEnvironment {
  env: SandboxEnvironment;
  fleet: Fleet;
  stop(): Promise<void>;
}

/** Our API server and the emulator in this process, with accounts A and B and their Secrets. */
export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const stateDir = mkdtempSync(join(tmpdir(), 'ram-delegation-bench-'));
  const env = await startSandboxEnvironment({ stateDir });
  return {
    env,
    fleet: fleetFor(env.info),
    async stop() {
      await env.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
