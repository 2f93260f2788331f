import { hostname } from 'node:os';
import { ConfigError, flagUsage, parseFlags } from './config/flags.js';
import { OPERATOR_FLAGS } from './config/operator-flags.js';
import { LOG_LEVELS, operatorSchema, type RawConfig } from './config/operator-schema.js';

/**
 * The operator's configuration: command-line flags override environment variables, which override
 * defaults. Only configuration code reads the environment (this module and `config/`), and it reads it
 * from the `env` argument it is given, so tests and the CLI pass what they want.
 */

export { ConfigError } from './config/flags.js';

export interface OperatorConfig {
  /** Undefined: use the in-cluster service account. */
  kubeconfig: string | undefined;
  /** Undefined: watch every namespace. */
  watchNamespace: string | undefined;
  /**
   * Reconcile only delegations labelled `ram-delegation.dev/shard=<shard>`; undefined: only those
   * without the label. The Lease name carries the shard as a suffix, so each shard elects its own leader.
   */
  shard: string | undefined;
  /** How often the informers list everything again (0: never); each delegation is then enqueued. */
  relistPeriodMs: number;
  /** Goes into ownership tags: `<cluster>/<namespace>/<name>`. */
  clusterName: string;
  workers: number;
  resyncPeriodMs: number;
  /** How often each account is listed once for leftovers (docs/adr/0007-orphan-sweep.md); 0: never. */
  orphanSweepPeriodMs: number;
  /** A delegation's next resync is at its own phase within the period, at least this fraction of a period away. */
  resyncMinGap: number;
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
  /** How long before `spec.expiresAt` the ExpiresSoon Warning comes. */
  expiryWarningMs: number;
  /** How long an AccessKey may go unused before the AccessKeyUnused Warning. */
  unusedKeyWarningMs: number;
}

/** Sustained calls per second and how many may go out back to back. */
interface RateLimit {
  qps: number;
  burst: number;
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
  const fromFlags = parseFlags(argv, OPERATOR_FLAGS);
  const raw: RawConfig = {};
  const fromEnv = new Set<string>();
  for (const option of OPERATOR_FLAGS) {
    const flagValue = fromFlags.get(option.flag);
    const envValue = option.env ? env[option.env] : undefined;
    if (flagValue !== undefined) raw[option.field] = flagValue;
    else if (envValue !== undefined && envValue !== '') {
      raw[option.field] = envValue;
      fromEnv.add(option.field);
    }
  }

  const parsed = operatorSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const option = OPERATOR_FLAGS.find((candidate) => candidate.field === issue.path[0]);
      if (!option) return `configuration: ${issue.message}`;
      const source = fromEnv.has(option.field) ? ` (from env ${option.env})` : '';
      return `--${option.flag}${source}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const config = parsed.data;
  return {
    kubeconfig: config.kubeconfig,
    watchNamespace: config.watchNamespace,
    shard: config.shard,
    relistPeriodMs: config.relistPeriod,
    clusterName: config.clusterName,
    workers: config.workers,
    resyncPeriodMs: config.resyncPeriod,
    orphanSweepPeriodMs: config.orphanSweepPeriod,
    resyncMinGap: 0.1,
    bindAddress: config.bindAddress,
    leaderElection: {
      enabled: config.leaderElect,
      leaseName: config.shard ? `${config.leaseName}-${config.shard}` : config.leaseName,
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
    expiryWarningMs: config.expiryWarning,
    unusedKeyWarningMs: config.unusedKeyWarning,
  };
}

/** The flag reference printed by `ram-delegation operator --help`. */
export const configUsage: string = [
  'Usage: ram-delegation operator [flags]',
  '',
  'Flags (environment variable in brackets; flags win):',
  ...flagUsage(OPERATOR_FLAGS, 42),
].join('\n');

/**
 * The process environment, read here and nowhere else: the CLI passes it to {@link loadConfig} and to
 * the operator's default credential chain.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
