/**
 * One `ram-delegation <name>` sub-command. `run` receives the arguments after the command name and
 * resolves to the process exit code; long-running commands (servers) resolve only when they stop.
 * A malformed command line throws `ConfigError` (from `config/flags.ts`): the CLI prints the message
 * and the command's usage, and exits 2.
 */
export interface CliCommand {
  name: string;
  /** One line for `ram-delegation --help`. */
  summary: string;
  /** Full usage text for `ram-delegation <name> --help`. */
  usage: string;
  run(args: string[]): Promise<number>;
}
