/**
 * What the sub-commands share when they read their arguments and, for the servers, wait to be stopped.
 * A malformed command line is a {@link UsageError}, so the CLI prints the usage and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

type ParsedValues<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true }>
>['values'];

/** Strict `--name value` parsing: an unknown option or a positional argument is a usage error. */
export function parseOptions<T extends OptionsConfig>(args: string[], options: T): ParsedValues<T> {
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A required `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(text: string | undefined): number {
  if (text === undefined) throw new UsageError('--port is required (0 picks a free port)');
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`);
  return port;
}

/**
 * Resolves when the process is asked to stop (SIGINT or SIGTERM). The handlers stay installed: under
 * `npx`/`tsx` a stop signal often arrives twice (to the process group and relayed by the wrapper), and
 * a second one must not kill the process by default action in the middle of a clean stop.
 */
export function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}
