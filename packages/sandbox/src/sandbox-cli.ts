#!/usr/bin/env node
/**
 * `ram-delegation-sandbox`: both stand-ins, the CRD, the credential Secrets and the operator, until
 * Ctrl-C. Prints "sandbox ready" and writes `<state-dir>/sandbox.json` for scripts.
 */
import { parseArgs } from 'node:util';
import { startSandboxEnvironment } from './environment.js';
import { spawnOperator } from './operator-process.js';

const usage = [
  'Usage: ram-delegation-sandbox [--state-dir <dir>] [--resync-seconds <n>]',
  '',
  'Starts a Kubernetes API server, the Alibaba Cloud emulator (accounts 1111111111111111 and',
  '2222222222222222, an `orders` event bus in cn-hangzhou), what deploy/ installs but the workload',
  "(the CrossAccountDelegation CRD, the operator's ServiceAccount and RBAC), the credential Secrets",
  'enterprise-a and enterprise-b in namespace default, and the operator, running as its ServiceAccount.',
  '',
  '  --state-dir <dir>        where kubeconfig and sandbox.json are written (default .sandbox/)',
  "  --resync-seconds <n>     the operator's drift check period (default 30)",
  '',
  'Ctrl-C or SIGTERM stops everything.',
].join('\n');

/** Runs the sandbox until a stop signal; resolves to the exit code. */
async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        'state-dir': { type: 'string', default: '.sandbox' },
        'resync-seconds': { type: 'string', default: '30' },
      },
    }));
  } catch (error) {
    console.error(`ram-delegation-sandbox: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const resyncSeconds = Number(values['resync-seconds']);
  if (!Number.isInteger(resyncSeconds) || resyncSeconds < 1) {
    console.error(
      `ram-delegation-sandbox: --resync-seconds must be a whole number of seconds, at least 1\n\n${usage}`,
    );
    return 2;
  }
  const stateDir = values['state-dir'];
  const env = await startSandboxEnvironment({ stateDir });
  const operator = spawnOperator({
    sandbox: env.info,
    resyncSeconds,
    onLine: (line) => process.stderr.write(`operator | ${line}\n`),
  });
  try {
    await operator.waitForLine(/operator started/);
  } catch (error) {
    await env.stop();
    throw error;
  }
  console.log('sandbox ready');
  console.log(`  kubeconfig:   export KUBECONFIG=${env.info.kubeconfig}`);
  console.log(`  try:          kubectl apply -f examples/eventbridge-publisher.yaml && kubectl get cad -w`);
  console.log(`  emulator:     ${env.info.emulatorUrl} (admin API under /_emulator)`);
  console.log(`  operator:     runs as ServiceAccount ${env.info.operator.serviceAccount}`);
  console.log(`  details:      ${stateDir}/sandbox.json`);

  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    operator.child.once('exit', () => resolve('operator exited'));
  });
  const why = await stopped;
  console.log(`stopping (${why})`);
  const code = await operator.stop();
  await env.stop();
  console.log('sandbox stopped');
  return why === 'operator exited' ? (typeof code === 'number' && code !== 0 ? code : 1) : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
