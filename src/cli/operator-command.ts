import { configUsage, loadConfig, processEnvironment } from '../config.js';
import { startOperator } from '../controller/operator.js';
import { createLogger } from '../observability/logger.js';
import type { CliCommand } from './command.js';

export const operatorCommand: CliCommand = {
  name: 'operator',
  summary: 'run the operator: reconcile CrossAccountDelegations in both Alibaba Cloud accounts',
  usage: configUsage,
  async run(args) {
    const env = processEnvironment();
    const config = loadConfig(args, env);
    const logger = createLogger({ level: config.logLevel, base: { component: 'operator' } });
    let exitCode = 0;
    let stopping: Promise<void> | undefined;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const operator = await startOperator(config, {
      logger,
      env,
      onLostLeadership: () => {
        exitCode = 1;
        stop('lost leadership');
      },
    });
    function stop(why: string): void {
      stopping ??= (async () => {
        logger.info({ why }, 'shutting down');
        await operator.stop();
        resolveDone();
      })();
    }
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    logger.info(
      {
        healthPort: operator.healthPort,
        leaderElection: config.leaderElection.enabled,
        workers: config.workers,
      },
      'operator started',
    );
    await done;
    return exitCode;
  },
};
