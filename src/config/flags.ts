/**
 * The one command-line parser of `ram-delegation`: every sub-command describes its flags as a table of
 * {@link FlagSpec}s, and gets the same syntax (`--name=value`, `--name value`, `--flag`, `--no-flag`),
 * the same mistakes reported the same way, and a usage text rendered from the same table.
 */

/** One flag of a sub-command. */
export interface FlagSpec {
  /** Without the leading dashes, e.g. `resync-period`. */
  flag: string;
  /** A boolean flag may stand alone (`--leader-elect`) or be negated (`--no-leader-elect`). */
  kind: 'string' | 'boolean';
  /** One line for the usage text. */
  help: string;
  /** The environment variable that supplies the value when the flag is not given. */
  env?: string;
  /** What the value is called in the usage text (default `value`). */
  placeholder?: string;
}

/**
 * A mistake on the command line or in the environment, phrased for whoever typed it and naming the
 * flag. The CLI prints it with the command's usage and exits 2.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The flags given in `argv`, as text by flag name (booleans as `true` / `false`). Values are not
 * checked here: the caller's schema does that and names the flag. Throws {@link ConfigError} for a
 * positional argument, an unknown flag, or a missing value.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--'))
      throw new ConfigError(`unexpected argument "${arg}" (flags look like --name=value)`);
    const body = arg.slice(2);
    const equals = body.indexOf('=');
    let name = equals >= 0 ? body.slice(0, equals) : body;
    let value: string | undefined = equals >= 0 ? body.slice(equals + 1) : undefined;
    let spec = specs.find((candidate) => candidate.flag === name);
    if (!spec && name.startsWith('no-') && value === undefined) {
      spec = specs.find((candidate) => candidate.flag === name.slice(3) && candidate.kind === 'boolean');
      if (spec) {
        name = spec.flag;
        value = 'false';
      }
    }
    if (!spec) throw new ConfigError(`--${name}: unknown flag (see --help)`);
    if (value === undefined) {
      if (spec.kind === 'boolean') value = 'true';
      else {
        const next = argv[index + 1];
        if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name}: needs a value`);
        value = next;
        index++;
      }
    }
    values.set(spec.flag, value);
  }
  return values;
}

/** Usage lines, one per flag: `  --name <value>` padded to `width`, the help, then `[ENV]` if any. */
export function flagUsage(specs: readonly FlagSpec[], width: number): string[] {
  return specs.map((spec) => {
    const name = `  --${spec.flag}${spec.kind === 'string' ? ` <${spec.placeholder ?? 'value'}>` : ''}`;
    return `${name.padEnd(width)}${spec.help}${spec.env ? ` [${spec.env}]` : ''}`;
  });
}
