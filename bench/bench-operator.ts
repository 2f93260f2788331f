/**
 * The operator as a child process for the benchmarks, on a metrics port picked here (so it works at any
 * log level), with its readiness awaited by polling /metrics. Its log lines are counted, not kept.
 */
import { createServer } from 'node:net';
import type { SandboxInfo } from '@ram-delegation/sandbox';
import { spawnOperator } from '@ram-delegation/sandbox';
import { scrape, sleep } from '../test/reliability/fleet.js';

export interface BenchOperator {
  pid: number;
  metricsUrl: string;
  /** Lines the operator printed (stdout and stderr). */
  lineCount(): number;
  stop(): Promise<void>;
}

/** A TCP port free right now on 127.0.0.1 (the usual small race is acceptable for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startBenchOperator(
  sandbox: SandboxInfo,
  args: string[],
  timeoutMs = 30_000,
): Promise<BenchOperator> {
  const port = await freePort();
  let lines = 0;
  const operator = spawnOperator({
    sandbox,
    extraArgs: [...args, `--bind-address=127.0.0.1:${port}`],
    onLine: () => void lines++,
  });
  // spawnOperator keeps every line; a benchmark with thousands of delegations must not.
  const trim = setInterval(() => operator.lines.splice(0, operator.lines.length), 1_000);
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await scrape(metricsUrl).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (operator.child.exitCode !== null || Date.now() > deadline) {
      clearInterval(trim);
      await operator.stop('SIGKILL');
      throw new Error(`the operator did not serve ${metricsUrl} within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
  return {
    pid: operator.child.pid ?? -1,
    metricsUrl,
    lineCount: () => lines,
    async stop() {
      clearInterval(trim);
      const code = await Promise.race([operator.stop('SIGTERM'), sleep(10_000).then(() => 'timeout')]);
      if (code === 'timeout') await operator.stop('SIGKILL');
    },
  };
}
