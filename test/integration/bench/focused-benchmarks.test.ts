/**
 * The focused benchmarks (docs/benchmarks.md) still run and print their JSON: each at a small size, as
 * `npm run bench:<name>` runs it. Their figures are not asserted here (they belong in the benchmark
 * docs); what is asserted is that the run did the work it reports. One of them once spawned a command
 * the package split had moved, and nothing noticed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs a benchmark script through tsx from the repository root and parses the JSON it prints. */
async function bench(script: string, args: string[] = []): Promise<Record<string, any>> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', script, ...args],
    {
      timeout: 90_000,
      maxBuffer: 8 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Record<string, any>;
}

describe('the focused benchmarks', () => {
  it('bench:engine counts the calls of each pass, and a no-op pass writes nothing', async () => {
    const result = await bench('bench/engine.ts');
    for (const pass of ['fresh', 'noop', 'driftRepair', 'revoke'])
      expect(result[pass].reads).toBeGreaterThan(0);
    expect(result.fresh.writes).toBeGreaterThan(0);
    expect(result.noop.writes).toBe(0);
    expect(result.driftRepair.writes).toBeGreaterThan(0);
  }, 100_000);

  it('bench:emulator serves every request of the run, without an error', async () => {
    const result = await bench('packages/alicloud-emulator/bench/emulator.ts', [
      '--requests',
      '300',
      '--concurrency',
      '4',
    ]);
    expect(result).toMatchObject({ requests: 300, errors: {}, timedOut: false });
    expect(result.cpu.emulatorSeconds).toBeGreaterThan(0);
  }, 100_000);

  it('bench:kube-apiserver lists and watches every object it created', async () => {
    const result = await bench('packages/kube-apiserver/bench/kube-apiserver.ts', [
      '--objects',
      '300',
      '--patches',
      '50',
    ]);
    expect(result.objects).toBe(300);
    expect(result.list.paged500.pages).toBe(1);
    expect(result.watch).toMatchObject({ initialAddedEvents: 300, liveModifiedEvents: 50 });
  }, 100_000);
});
