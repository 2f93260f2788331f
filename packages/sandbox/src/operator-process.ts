import { spawn, type ChildProcess } from 'node:child_process';
import type { SandboxInfo } from './environment.js';
import { operatorPaths } from './operator-paths.js';

export interface OperatorProcessOptions {
  /**
   * The sandbox to run in: the operator talks to its API server as `sandbox.operator.serviceAccount`
   * (never as cluster-admin), and to its emulator for RAM and STS.
   */
  sandbox: Pick<SandboxInfo, 'emulatorUrl' | 'operator'>;
  clusterName?: string;
  resyncSeconds?: number;
  /** Leader election on a Lease (several replicas), in the operator's namespace as in a pod. */
  leaderElect?: boolean;
  identity?: string;
  extraArgs?: string[];
  /** Called with every line the operator prints (JSON log lines). */
  onLine?: (line: string) => void;
}

export interface OperatorProcess {
  child: ChildProcess;
  /** Every line printed so far (stdout and stderr), for tests that scan the logs. */
  lines: string[];
  /** Resolves with the first line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * The `ram-delegation operator` command as a child process, pointed at the sandbox's API server and
 * emulator, with what a pod of the Deployment has: its ServiceAccount's token and `POD_NAMESPACE`.
 * From source (tests, `npm run sandbox`) it runs through tsx; from `dist/` with plain node.
 */
export function spawnOperator(options: OperatorProcessOptions): OperatorProcess {
  const { sandbox } = options;
  const endpoint = sandbox.emulatorUrl.replace(/^https?:\/\//, '');
  const [podNamespace = 'default'] = sandbox.operator.serviceAccount.split('/');
  const args = [
    ...operatorPaths.nodeArguments,
    operatorPaths.cli,
    'operator',
    `--kubeconfig=${sandbox.operator.kubeconfig}`,
    `--ram-endpoint=${endpoint}`,
    `--sts-endpoint=${endpoint}`,
    '--alicloud-protocol=http',
    `--cluster-name=${options.clusterName ?? 'sandbox'}`,
    `--resync-period=${options.resyncSeconds ?? 30}s`,
    '--bind-address=127.0.0.1:0',
    // The emulator is local: the default 20 calls/s per account (sized for RAM) would only slow the demo.
    '--account-qps=200',
    '--account-burst=100',
    ...(options.leaderElect
      ? ['--leader-elect', '--lease-duration=15s', '--renew-deadline=10s', '--retry-period=2s']
      : []),
    ...(options.identity ? [`--identity=${options.identity}`] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, POD_NAMESPACE: podNamespace },
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (buffer: { partial: string }) => (chunk: Buffer) => {
    const text = buffer.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    buffer.partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      options.onLine?.(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData({ partial: '' }));
  child.stderr?.on('data', onData({ partial: '' }));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    lines,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `operator did not print ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-10).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(
            new Error(
              `operator exited (${code}) before printing ${pattern}; last lines:\n${lines.slice(-10).join('\n')}`,
            ),
          );
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
