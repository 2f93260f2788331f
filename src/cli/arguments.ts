/**
 * How the sub-commands read their arguments. A malformed command line is a {@link UsageError}, so the
 * CLI prints the usage and exits 2.
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
