/**
 * The operator as a child process for the benchmarks, on a metrics port picked here (so it works at any
 * log level), with its readiness awaited by polling /metrics. Its log lines are counted, not kept.
 * From source through tsx (the sandbox's `spawnOperator`), or, with `built`, as the image runs it:
 * `node dist/cli.js operator` (`npm run build` first), as the sandbox's ServiceAccount either way.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SandboxInfo } from '@ram-delegation/sandbox';
import { operatorPaths, spawnOperator } from '@ram-delegation/sandbox';
import { scrape, sleep } from '../test/reliability/fleet.js';

/**
 * The node flags of the image's ENTRYPOINT (`["node", <flags>, "dist/cli.js"]` in the Dockerfile), so
 * that the built operator runs here exactly as it runs in the image.
 */
export function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(join(operatorPaths.root, 'Dockerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const argv = entrypoint ? (JSON.parse(entrypoint) as string[]) : [];
  const cli = argv.indexOf('dist/cli.js');
  if (argv[0] !== 'node' || cli < 0) throw new Error(`Dockerfile: unexpected ENTRYPOINT ${entrypoint}`);
  return argv.slice(1, cli);
}

export interface BenchOperator {
  pid: number;
  metricsUrl: string;
  /** Lines the operator printed (stdout and stderr). */
  lineCount(): number;
  /** Sends a signal (e.g. SIGUSR2 for a heap snapshot with `--heapsnapshot-signal`). */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export interface BenchOperatorOptions {
  /** Run `dist/cli.js` with plain node instead of the sources through tsx. */
  built?: boolean;
  /** Node options for the built operator (e.g. `--heapsnapshot-signal=SIGUSR2`). */
  nodeOptions?: string[];
  /** The built operator's working directory (where a heap snapshot lands). */
  cwd?: string;
  timeoutMs?: number;
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

/** The built operator, with the arguments the sandbox gives the one it runs from source. */
function spawnBuilt(sandbox: SandboxInfo, args: string[], options: BenchOperatorOptions, onLine: () => void) {
  const cli = join(operatorPaths.root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const endpoint = sandbox.emulatorUrl.replace(/^https?:\/\//, '');
  const [podNamespace = 'default'] = sandbox.operator.serviceAccount.split('/');
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeOptions ?? []),
      cli,
      'operator',
      `--kubeconfig=${sandbox.operator.kubeconfig}`,
      `--ram-endpoint=${endpoint}`,
      `--sts-endpoint=${endpoint}`,
      '--alicloud-protocol=http',
      '--cluster-name=sandbox',
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POD_NAMESPACE: podNamespace },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    },
  );
  const count = (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) onLine();
  };
  child.stdout.on('data', count);
  child.stderr.on('data', count);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

function spawnFromSource(sandbox: SandboxInfo, args: string[], onLine: () => void) {
  const operator = spawnOperator({ sandbox, extraArgs: args, onLine });
  // spawnOperator keeps every line; a benchmark with thousands of delegations must not.
  const trim = setInterval(() => operator.lines.splice(0, operator.lines.length), 1_000);
  return {
    child: operator.child,
    stop: async (signal: NodeJS.Signals) => {
      clearInterval(trim);
      await operator.stop(signal);
    },
  };
}

export async function startBenchOperator(
  sandbox: SandboxInfo,
  args: string[],
  options: BenchOperatorOptions = {},
): Promise<BenchOperator> {
  const port = await freePort();
  let lines = 0;
  const onLine = () => void lines++;
  const allArgs = [...args, `--bind-address=127.0.0.1:${port}`];
  const operator = options.built
    ? spawnBuilt(sandbox, allArgs, options, onLine)
    : spawnFromSource(sandbox, allArgs, onLine);
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await scrape(metricsUrl).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (operator.child.exitCode !== null || Date.now() > deadline) {
      await operator.stop('SIGKILL');
      throw new Error(`the operator did not serve ${metricsUrl} within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
  return {
    pid: operator.child.pid ?? -1,
    metricsUrl,
    lineCount: () => lines,
    signal: (signal) => void operator.child.kill(signal),
    async stop() {
      const done = await Promise.race([operator.stop('SIGTERM').then(() => 'stopped'), sleep(10_000)]);
      if (done !== 'stopped') await operator.stop('SIGKILL');
    },
  };
}
