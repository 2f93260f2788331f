import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * The operator's configuration: command-line flags override environment variables, which override
 * defaults. This is the only module that reads the environment, and it reads it from the `env`
 * argument it is given, so tests and the CLI pass what they want.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One setting: its flag, its environment variable and its help line. */
interface Option {
  field: keyof RawConfig;
  flag: string;
  env?: string;
  kind: 'string' | 'boolean';
  help: string;
}

const OPTIONS: readonly Option[] = [
  {
    field: 'kubeconfig',
    flag: 'kubeconfig',
    env: 'KUBECONFIG',
    kind: 'string',
    help: 'kubeconfig file (default: in-cluster service account)',
  },
  {
    field: 'watchNamespace',
    flag: 'watch-namespace',
    env: 'WATCH_NAMESPACE',
    kind: 'string',
    help: 'watch only this namespace (default: all)',
  },
  {
    field: 'clusterName',
    flag: 'cluster-name',
    env: 'RAM_DELEGATION_CLUSTER_NAME',
    kind: 'string',
    help: 'cluster name in ownership tags (default: default)',
  },
  {
    field: 'workers',
    flag: 'workers',
    env: 'RAM_DELEGATION_WORKERS',
    kind: 'string',
    help: 'delegations reconciled concurrently (default: 4)',
  },
  {
    field: 'resyncPeriod',
    flag: 'resync-period',
    env: 'RAM_DELEGATION_RESYNC_PERIOD',
    kind: 'string',
    help: 'drift check period, jittered ±10% (default: 10m)',
  },
  {
    field: 'bindAddress',
    flag: 'bind-address',
    env: 'RAM_DELEGATION_BIND_ADDRESS',
    kind: 'string',
    help: 'metrics and health address [host]:port (default: :8080)',
  },
  {
    field: 'leaderElect',
    flag: 'leader-elect',
    env: 'RAM_DELEGATION_LEADER_ELECT',
    kind: 'boolean',
    help: 'elect a leader through a Lease (default: false)',
  },
  {
    field: 'leaseName',
    flag: 'lease-name',
    env: 'RAM_DELEGATION_LEASE_NAME',
    kind: 'string',
    help: 'Lease name (default: ram-delegation-operator)',
  },
  {
    field: 'leaseNamespace',
    flag: 'lease-namespace',
    env: 'POD_NAMESPACE',
    kind: 'string',
    help: "Lease namespace (default: the pod's namespace, else default)",
  },
  {
    field: 'identity',
    flag: 'identity',
    env: 'RAM_DELEGATION_IDENTITY',
    kind: 'string',
    help: 'leader-election identity (default: hostname_pid)',
  },
  {
    field: 'leaseDuration',
    flag: 'lease-duration',
    kind: 'string',
    help: 'how long a Lease is valid without renewal (default: 15s)',
  },
  {
    field: 'renewDeadline',
    flag: 'renew-deadline',
    kind: 'string',
    help: 'leader gives up if it cannot renew within this (default: 10s)',
  },
  {
    field: 'retryPeriod',
    flag: 'retry-period',
    kind: 'string',
    help: 'interval between acquire/renew attempts (default: 2s)',
  },
  {
    field: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: 'string',
    help: `one of ${LOG_LEVELS.join(', ')} (default: info)`,
  },
  {
    field: 'ramEndpoint',
    flag: 'ram-endpoint',
    env: 'ALIBABA_CLOUD_RAM_ENDPOINT',
    kind: 'string',
    help: 'RAM endpoint host[:port] (default: ram.aliyuncs.com)',
  },
  {
    field: 'stsEndpoint',
    flag: 'sts-endpoint',
    env: 'ALIBABA_CLOUD_STS_ENDPOINT',
    kind: 'string',
    help: 'STS endpoint host[:port] (default: sts.<region>.aliyuncs.com)',
  },
  {
    field: 'protocol',
    flag: 'alicloud-protocol',
    env: 'ALIBABA_CLOUD_PROTOCOL',
    kind: 'string',
    help: 'http or https (default: https)',
  },
  {
    field: 'region',
    flag: 'alicloud-region',
    env: 'ALIBABA_CLOUD_REGION_ID',
    kind: 'string',
    help: 'region id (default: cn-hangzhou)',
  },
  {
    field: 'accountQps',
    flag: 'account-qps',
    env: 'RAM_DELEGATION_ACCOUNT_QPS',
    kind: 'string',
    help: 'cloud API calls per second per account (default: 20)',
  },
  {
    field: 'accountBurst',
    flag: 'account-burst',
    env: 'RAM_DELEGATION_ACCOUNT_BURST',
    kind: 'string',
    help: 'calls per account that may go out back to back (default: 10)',
  },
  {
    field: 'ownerQps',
    flag: 'owner-qps',
    kind: 'string',
    help: 'owner-side (A) calls per second per account (default: --account-qps)',
  },
  {
    field: 'authorizedQps',
    flag: 'authorized-qps',
    kind: 'string',
    help: 'authorized-side (B) calls per second per account (default: --account-qps)',
  },
  {
    field: 'allowBroadPolicies',
    flag: 'allow-broad-policies',
    env: 'RAM_DELEGATION_ALLOW_BROAD_POLICIES',
    kind: 'boolean',
    help: 'allow * on * and AdministratorAccess (default: false)',
  },
  {
    field: 'credentialChainNamespaces',
    flag: 'credential-chain-namespaces',
    env: 'RAM_DELEGATION_CREDENTIAL_CHAIN_NAMESPACES',
    kind: 'string',
    help: "comma-separated namespaces that may use the operator's own credentials; * for all (default: none)",
  },
];

type RawConfig = {
  kubeconfig?: string;
  watchNamespace?: string;
  clusterName?: string;
  workers?: string;
  resyncPeriod?: string;
  bindAddress?: string;
  leaderElect?: string;
  leaseName?: string;
  leaseNamespace?: string;
  identity?: string;
  leaseDuration?: string;
  renewDeadline?: string;
  retryPeriod?: string;
  logLevel?: string;
  ramEndpoint?: string;
  stsEndpoint?: string;
  protocol?: string;
  region?: string;
  accountQps?: string;
  accountBurst?: string;
  ownerQps?: string;
  authorizedQps?: string;
  allowBroadPolicies?: string;
  credentialChainNamespaces?: string;
};

/** `15s`, `10m`, `1h`, `500ms`, or a bare number of seconds. */
const duration = z.string().transform((text, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (e.g. 15s, 10m, 1h)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1_000;
  return Math.round(Number(match[1]) * unit);
});
const positiveDuration = duration.pipe(z.number().int().positive('must be greater than zero'));
const positiveNumber = z.coerce.number().positive('must be a positive number');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));
const hostPort = z.string().transform((text, ctx) => {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not [host]:port` });
    return z.NEVER;
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? undefined : host, port };
});

const schema = z
  .object({
    kubeconfig: z.string().min(1).optional(),
    watchNamespace: z.string().min(1).optional(),
    clusterName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,63}$/, 'must be 1-63 of letters, digits, ".", "_" and "-"')
      .default('default'),
    workers: z.coerce.number().int('must be an integer').min(1).max(64).default(4),
    resyncPeriod: positiveDuration.default(600_000),
    bindAddress: hostPort.default({ host: undefined, port: 8080 }),
    leaderElect: bool.default(false),
    leaseName: z.string().min(1).default('ram-delegation-operator'),
    leaseNamespace: z.string().min(1).default('default'),
    identity: z.string().min(1).optional(),
    leaseDuration: positiveDuration.default(15_000),
    renewDeadline: positiveDuration.default(10_000),
    retryPeriod: positiveDuration.default(2_000),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    ramEndpoint: z.string().min(1).optional(),
    stsEndpoint: z.string().min(1).optional(),
    protocol: z.enum(['http', 'https']).default('https'),
    region: z.string().min(1).default('cn-hangzhou'),
    accountQps: positiveNumber.default(20),
    accountBurst: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').default(10),
    ownerQps: positiveNumber.optional(),
    authorizedQps: positiveNumber.optional(),
    allowBroadPolicies: bool.default(false),
    credentialChainNamespaces: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      )
      .default([]),
  })
  .superRefine((config, ctx) => {
    if (config.renewDeadline >= config.leaseDuration) {
      ctx.addIssue({
        code: 'custom',
        path: ['renewDeadline'],
        message: 'must be shorter than --lease-duration',
      });
    }
    if (config.retryPeriod >= config.renewDeadline) {
      ctx.addIssue({
        code: 'custom',
        path: ['retryPeriod'],
        message: 'must be shorter than --renew-deadline',
      });
    }
  });

export interface OperatorConfig {
  /** Undefined: use the in-cluster service account. */
  kubeconfig: string | undefined;
  /** Undefined: watch every namespace. */
  watchNamespace: string | undefined;
  /** Goes into ownership tags: `<cluster>/<namespace>/<name>`. */
  clusterName: string;
  workers: number;
  resyncPeriodMs: number;
  /** Each resync is spread by ±this fraction so delegations do not all resync at once. */
  resyncJitter: number;
  /** Where /metrics, /healthz and /readyz listen; host undefined = all interfaces. */
  bindAddress: { host: string | undefined; port: number };
  leaderElection: {
    enabled: boolean;
    leaseName: string;
    leaseNamespace: string;
    identity: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  logLevel: (typeof LOG_LEVELS)[number];
  /** Shaped like `CloudEndpoints` in `src/alicloud/clients.ts`; unset endpoints take the SDK defaults. */
  alicloud: {
    ram: string | undefined;
    sts: string | undefined;
    protocol: 'http' | 'https';
    regionId: string;
  };
  /** Token-bucket limits per account, by side (shaped like the rate limiter's options). */
  rateLimits: { owner: RateLimit; authorized: RateLimit };
  allowBroadPolicies: boolean;
  /** Namespaces whose delegations may omit credentials and use the operator's own; `*` allows all. */
  credentialChainNamespaces: string[];
}

/** Sustained calls per second and how many may go out back to back. */
export interface RateLimit {
  qps: number;
  burst: number;
}

/** A configuration mistake, phrased for the person who typed the flag. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Who is running: supplies the default leader-election identity. */
export interface ProcessInfo {
  hostname: string;
  pid: number;
}

/**
 * Builds the configuration from `argv` (flags only: `--name=value`, `--name value`, `--flag`,
 * `--no-flag`) and `env`. Throws {@link ConfigError} naming the offending flag.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  processInfo: ProcessInfo = { hostname: hostname(), pid: process.pid },
): OperatorConfig {
  const raw: RawConfig = {};
  for (const option of OPTIONS) {
    const value = option.env ? env[option.env] : undefined;
    if (value !== undefined && value !== '') raw[option.field] = value;
  }
  const fromFlags = parseFlags(argv);
  Object.assign(raw, fromFlags);

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const option = OPTIONS.find((candidate) => candidate.field === issue.path[0]);
      const field = issue.path[0] as keyof RawConfig | undefined;
      const fromEnv =
        option?.env !== undefined && field !== undefined && !(field in fromFlags) && raw[field] !== undefined;
      const source = option
        ? `--${option.flag}${fromEnv ? ` (from env ${option.env})` : ''}`
        : 'configuration';
      return `${source}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const config = parsed.data;
  return {
    kubeconfig: config.kubeconfig,
    watchNamespace: config.watchNamespace,
    clusterName: config.clusterName,
    workers: config.workers,
    resyncPeriodMs: config.resyncPeriod,
    resyncJitter: 0.1,
    bindAddress: config.bindAddress,
    leaderElection: {
      enabled: config.leaderElect,
      leaseName: config.leaseName,
      leaseNamespace: config.leaseNamespace,
      identity: config.identity ?? `${processInfo.hostname}_${processInfo.pid}`,
      leaseDurationMs: config.leaseDuration,
      renewDeadlineMs: config.renewDeadline,
      retryPeriodMs: config.retryPeriod,
    },
    logLevel: config.logLevel,
    alicloud: {
      ram: config.ramEndpoint,
      sts: config.stsEndpoint,
      protocol: config.protocol,
      regionId: config.region,
    },
    rateLimits: {
      owner: { qps: config.ownerQps ?? config.accountQps, burst: config.accountBurst },
      authorized: { qps: config.authorizedQps ?? config.accountQps, burst: config.accountBurst },
    },
    allowBroadPolicies: config.allowBroadPolicies,
    credentialChainNamespaces: config.credentialChainNamespaces,
  };
}

function parseFlags(argv: readonly string[]): RawConfig {
  const raw: RawConfig = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--'))
      throw new ConfigError(`unexpected argument "${arg}" (flags look like --name=value)`);
    const body = arg.slice(2);
    const equals = body.indexOf('=');
    let name = equals >= 0 ? body.slice(0, equals) : body;
    let value: string | undefined = equals >= 0 ? body.slice(equals + 1) : undefined;
    let option = OPTIONS.find((candidate) => candidate.flag === name);
    if (!option && name.startsWith('no-') && value === undefined) {
      option = OPTIONS.find((candidate) => candidate.flag === name.slice(3) && candidate.kind === 'boolean');
      if (option) {
        name = option.flag;
        value = 'false';
      }
    }
    if (!option) throw new ConfigError(`--${name}: unknown flag (see --help)`);
    if (value === undefined) {
      if (option.kind === 'boolean') value = 'true';
      else {
        const next = argv[index + 1];
        if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name}: needs a value`);
        value = next;
        index++;
      }
    }
    raw[option.field] = value;
  }
  return raw;
}

/** The flag reference printed by `ram-delegation operator --help`. */
export const configUsage: string = [
  'Usage: ram-delegation operator [flags]',
  '',
  'Flags (environment variable in brackets; flags win):',
  ...OPTIONS.map((option) => {
    const name = `  --${option.flag}${option.kind === 'string' ? ' <value>' : ''}`;
    return `${name.padEnd(42)}${option.help}${option.env ? ` [${option.env}]` : ''}`;
  }),
].join('\n');

/**
 * The process environment, read here and nowhere else: the CLI passes it to {@link loadConfig} and to
 * the operator's default credential chain.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
