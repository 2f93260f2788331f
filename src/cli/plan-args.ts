import { ConfigError, flagUsage, parseFlags, type FlagSpec } from '../config/flags.js';
import { OPERATOR_FLAGS } from '../config/operator-flags.js';
import { loadConfig, type OperatorConfig } from '../config.js';

/**
 * The command line of `ram-delegation plan`: its own flags (`-f`, `--namespace`, `--output`) and the
 * operator's flags that decide what a plan sees, taken from the operator's own flag table and checked
 * by its configuration schema (one definition of each: endpoints, protocol, region, cluster name).
 */

/** Operator flags plan accepts: the cloud endpoints, and what makes a plan match the operator's view. */
const SHARED_FLAGS = new Set([
  'kubeconfig',
  'cluster-name',
  'ram-endpoint',
  'sts-endpoint',
  'alicloud-protocol',
  'alicloud-region',
  'allow-broad-policies',
]);

const PLAN_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'filename',
    kind: 'string',
    placeholder: 'file|dir|-',
    help: 'manifests to plan (also -f; repeatable; a directory: its .yaml, .yml and .json files; - is stdin)',
  },
  {
    flag: 'namespace',
    kind: 'string',
    placeholder: 'ns',
    help: "namespace of manifests that name none (also -n; default: the kubeconfig context's, else default)",
  },
  { flag: 'output', kind: 'string', placeholder: 'text|json', help: 'text (default) or json (also -o)' },
];

const SHORT: Readonly<Record<string, string>> = { '-f': 'filename', '-n': 'namespace', '-o': 'output' };

export interface PlanArgs {
  filenames: string[];
  namespace: string | undefined;
  output: 'text' | 'json';
  /** `--kubeconfig` as given; undefined: the default loading rules (KUBECONFIG, ~/.kube/config). */
  kubeconfig: string | undefined;
  config: OperatorConfig;
}

export const planUsage = [
  'Usage: ram-delegation plan -f <file|dir|-> [-f ...] [flags]',
  '',
  'Prints what applying the manifests would change in both accounts, read-only: no cloud write and',
  'no Kubernetes write. Exit code: 0 no changes, 2 changes, 1 an error or a refusal.',
  'Without --kubeconfig, the usual loading rules apply (KUBECONFIG, then ~/.kube/config).',
  '',
  ...flagUsage(PLAN_FLAGS, 36),
  ...flagUsage(
    OPERATOR_FLAGS.filter((f) => SHARED_FLAGS.has(f.flag)),
    36,
  ),
].join('\n');

export function parsePlanArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): PlanArgs {
  const filenames: string[] = [];
  const own = new Map<string, string>();
  const shared: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [head, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const name = SHORT[head] ?? (head.startsWith('--') ? head.slice(2) : undefined);
    if (name === undefined || !PLAN_FLAGS.some((f) => f.flag === name)) {
      shared.push(arg);
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new ConfigError(`${head}: needs a value`);
    if (name === 'filename') filenames.push(value);
    else own.set(name, value);
  }
  for (const name of parseFlags(shared, OPERATOR_FLAGS).keys()) {
    if (!SHARED_FLAGS.has(name)) throw new ConfigError(`--${name}: not a flag of plan (see --help)`);
  }
  if (filenames.length === 0)
    throw new ConfigError('-f: at least one manifest file, directory or - is needed');
  const output = own.get('output') ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new ConfigError(`--output: "${output}" is not text or json`);
  const kubeconfig = parseFlags(shared, OPERATOR_FLAGS).get('kubeconfig');
  return { filenames, namespace: own.get('namespace'), output, kubeconfig, config: loadConfig(shared, env) };
}
