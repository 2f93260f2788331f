import { startSandboxEnvironment } from '../sandbox/environment.js';
import { spawnOperator } from '../sandbox/operator-process.js';
import { parseOptions } from './arguments.js';
import { UsageError, type CliCommand } from './command.js';

const usage = [
  'Usage: ram-delegation sandbox [--state-dir <dir>] [--resync-seconds <n>]',
  '',
  'Starts a Kubernetes API server, the Alibaba Cloud emulator (accounts 1111111111111111 and',
  '2222222222222222, an `orders` event bus in cn-hangzhou), the CrossAccountDelegation CRD, the',
  'credential Secrets enterprise-a and enterprise-b in namespace default, and the operator.',
  '',
  '  --state-dir <dir>        where kubeconfig and sandbox.json are written (default .sandbox/)',
  "  --resync-seconds <n>     the operator's drift check period (default 30)",
  '',
  'Ctrl-C or SIGTERM stops everything.',
].join('\n');

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'run the whole thing locally: API server, emulator, CRD, credential Secrets and the operator',
  usage,
  async run(args) {
    const values = parseOptions(args, {
      'state-dir': { type: 'string' },
      'resync-seconds': { type: 'string' },
    });
    const resyncSeconds = Number(values['resync-seconds'] ?? '30');
    if (!Number.isInteger(resyncSeconds) || resyncSeconds < 1)
      throw new UsageError('--resync-seconds must be a whole number of seconds, at least 1');
    const stateDir = values['state-dir'] ?? '.sandbox';

    const env = await startSandboxEnvironment({ stateDir });
    const operator = spawnOperator({
      kubeconfig: env.info.kubeconfig,
      emulatorUrl: env.info.emulatorUrl,
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
  },
};
