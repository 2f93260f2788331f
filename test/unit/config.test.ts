import { describe, expect, it } from 'vitest';
import { ConfigError, configUsage, loadConfig } from '../../src/config.js';
import { flagUsage, parseFlags, type FlagSpec } from '../../src/config/flags.js';

const host = { hostname: 'operator-7f9c', pid: 42 };
const load = (argv: string[], env: Record<string, string> = {}) => loadConfig(argv, env, host);

describe('loadConfig defaults', () => {
  it('fills every default', () => {
    expect(load([])).toEqual({
      kubeconfig: undefined,
      watchNamespace: undefined,
      shard: undefined,
      relistPeriodMs: 1_800_000,
      clusterName: 'default',
      workers: 4,
      resyncPeriodMs: 600_000,
      orphanSweepPeriodMs: 3_600_000,
      resyncMinGap: 0.1,
      bindAddress: { host: undefined, port: 8080 },
      leaderElection: {
        enabled: false,
        leaseName: 'ram-delegation-operator',
        leaseNamespace: 'default',
        identity: 'operator-7f9c_42',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
      logLevel: 'info',
      alicloud: { ram: undefined, sts: undefined, protocol: 'https', regionId: 'cn-hangzhou' },
      rateLimits: { owner: { qps: 20, burst: 10 }, authorized: { qps: 20, burst: 10 } },
      allowBroadPolicies: false,
      credentialChainNamespaces: [],
      expiryWarningMs: 168 * 3_600_000,
      unusedKeyWarningMs: 2160 * 3_600_000,
    });
  });

  it("puts the lease in the pod's namespace", () => {
    expect(load([], { POD_NAMESPACE: 'ram-system' }).leaderElection.leaseNamespace).toBe('ram-system');
  });
});

describe('loadConfig parsing', () => {
  it.each([
    [['--workers=8'], {}, (c: ReturnType<typeof load>) => c.workers, 8],
    [['--workers', '2'], { RAM_DELEGATION_WORKERS: '6' }, (c: ReturnType<typeof load>) => c.workers, 2],
    [[], { RAM_DELEGATION_WORKERS: '6' }, (c: ReturnType<typeof load>) => c.workers, 6],
    [['--resync-period=5m'], {}, (c: ReturnType<typeof load>) => c.resyncPeriodMs, 300_000],
    [['--orphan-sweep-period=0'], {}, (c: ReturnType<typeof load>) => c.orphanSweepPeriodMs, 0],
    [['--resync-period=90'], {}, (c: ReturnType<typeof load>) => c.resyncPeriodMs, 90_000],
    [
      ['--lease-duration=30s', '--renew-deadline=20s', '--retry-period=500ms'],
      {},
      (c: ReturnType<typeof load>) => [
        c.leaderElection.leaseDurationMs,
        c.leaderElection.renewDeadlineMs,
        c.leaderElection.retryPeriodMs,
      ],
      [30_000, 20_000, 500],
    ],
    [
      ['--bind-address=127.0.0.1:9090'],
      {},
      (c: ReturnType<typeof load>) => c.bindAddress,
      { host: '127.0.0.1', port: 9090 },
    ],
    [['--bind-address=[::1]:0'], {}, (c: ReturnType<typeof load>) => c.bindAddress, { host: '::1', port: 0 }],
    [['--leader-elect'], {}, (c: ReturnType<typeof load>) => c.leaderElection.enabled, true],
    [
      ['--no-leader-elect'],
      { RAM_DELEGATION_LEADER_ELECT: 'true' },
      (c: ReturnType<typeof load>) => c.leaderElection.enabled,
      false,
    ],
    [['--allow-broad-policies=true'], {}, (c: ReturnType<typeof load>) => c.allowBroadPolicies, true],
    [
      ['--credential-chain-namespaces=platform, team-a,'],
      {},
      (c: ReturnType<typeof load>) => c.credentialChainNamespaces,
      ['platform', 'team-a'],
    ],
    [[], { RAM_DELEGATION_ACCOUNT_BURST: '3' }, (c: ReturnType<typeof load>) => c.rateLimits.owner.burst, 3],
    [
      ['--account-qps=5', '--authorized-qps=2'],
      {},
      (c: ReturnType<typeof load>) => c.rateLimits,
      { owner: { qps: 5, burst: 10 }, authorized: { qps: 2, burst: 10 } },
    ],
    [
      ['--alicloud-protocol=http', '--ram-endpoint=127.0.0.1:9000', '--sts-endpoint=127.0.0.1:9000'],
      {},
      (c: ReturnType<typeof load>) => c.alicloud,
      { ram: '127.0.0.1:9000', sts: '127.0.0.1:9000', protocol: 'http', regionId: 'cn-hangzhou' },
    ],
    [
      ['--kubeconfig', '/tmp/kc'],
      { KUBECONFIG: '/etc/kc' },
      (c: ReturnType<typeof load>) => c.kubeconfig,
      '/tmp/kc',
    ],
    [['--identity=replica-1'], {}, (c: ReturnType<typeof load>) => c.leaderElection.identity, 'replica-1'],
    [[], { LOG_LEVEL: 'debug' }, (c: ReturnType<typeof load>) => c.logLevel, 'debug'],
    [
      ['--shard=blue'],
      {},
      (c: ReturnType<typeof load>) => [c.shard, c.leaderElection.leaseName],
      ['blue', 'ram-delegation-operator-blue'],
    ],
    [
      ['--lease-name=ops'],
      { RAM_DELEGATION_SHARD: 'green' },
      (c: ReturnType<typeof load>) => [c.shard, c.leaderElection.leaseName],
      ['green', 'ops-green'],
    ],
    [['--relist-period=1h'], {}, (c: ReturnType<typeof load>) => c.relistPeriodMs, 3_600_000],
    [[], { RAM_DELEGATION_RELIST_PERIOD: '0' }, (c: ReturnType<typeof load>) => c.relistPeriodMs, 0],
  ])('%j with env %j', (argv, env, pick, expected) => {
    expect(pick(load(argv, env))).toEqual(expected);
  });
});

describe('loadConfig errors name the flag', () => {
  it.each([
    [['--workers=zero'], {}, /--workers/],
    [['--workers=0'], {}, /--workers/],
    [[], { RAM_DELEGATION_WORKERS: 'lots' }, /--workers \(from env RAM_DELEGATION_WORKERS\)/],
    [['--resync-period=soon'], {}, /--resync-period: "soon" is not a duration/],
    [['--bind-address=8080'], {}, /--bind-address: "8080" is not \[host\]:port/],
    [['--bind-address=:99999'], {}, /--bind-address/],
    [['--alicloud-protocol=ftp'], {}, /--alicloud-protocol/],
    [['--log-level=loud'], {}, /--log-level/],
    [['--leader-elect=maybe'], {}, /--leader-elect/],
    [['--renew-deadline=20s'], {}, /--renew-deadline: must be shorter than --lease-duration/],
    [['--retry-period=12s'], {}, /--retry-period: must be shorter than --renew-deadline/],
    [['--account-qps=-1'], {}, /--account-qps/],
    [['--account-burst=0'], {}, /--account-burst: must be at least 1/],
    [['--cluster-name=a/b'], {}, /--cluster-name/],
    [['--shard=Blue'], {}, /--shard: must be 1-42 lowercase letters/],
    [['--shard=-x'], {}, /--shard/],
    [['--shard='], {}, /--shard/],
    [['--relist-period=often'], {}, /--relist-period: "often" is not a duration/],
    [['--frobnicate'], {}, /--frobnicate: unknown flag/],
    [['--workers'], {}, /--workers: needs a value/],
    [['stray'], {}, /unexpected argument "stray"/],
  ])('%j %j', (argv, env, message) => {
    expect(() => load(argv, env)).toThrow(ConfigError);
    expect(() => load(argv, env)).toThrow(message);
  });
});

describe('configUsage', () => {
  it('documents every flag a test above uses', () => {
    for (const flag of [
      '--kubeconfig',
      '--workers',
      '--resync-period',
      '--bind-address',
      '--leader-elect',
      '--lease-namespace',
      '--allow-broad-policies',
      '--credential-chain-namespaces',
      '--owner-qps',
      '--shard',
      '--relist-period',
    ]) {
      expect(configUsage).toContain(flag);
    }
  });
});

describe('parseFlags, the one parser every sub-command uses', () => {
  const specs: FlagSpec[] = [
    { flag: 'out', kind: 'string', placeholder: 'dir', help: 'where to write' },
    { flag: 'dry-run', kind: 'boolean', env: 'DRY_RUN', help: 'change nothing' },
  ];

  it.each([
    [['--out', 'crds'], { out: 'crds' }],
    [['--out=crds', '--dry-run'], { out: 'crds', 'dry-run': 'true' }],
    [['--no-dry-run'], { 'dry-run': 'false' }],
    [['--dry-run=maybe'], { 'dry-run': 'maybe' }],
    [[], {}],
  ])('%j', (argv, expected) => {
    expect(Object.fromEntries(parseFlags(argv, specs))).toEqual(expected);
  });

  it.each([
    [['--in=x'], /^--in: unknown flag/],
    [['--no-out'], /^--no-out: unknown flag/],
    [['--out'], /^--out: needs a value$/],
    [['--out', '--dry-run'], /^--out: needs a value$/],
    [['crds'], /^unexpected argument "crds"/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseFlags(argv, specs)).toThrow(ConfigError);
    expect(() => parseFlags(argv, specs)).toThrow(message);
  });

  it('renders the usage lines from the same table', () => {
    expect(flagUsage(specs, 16)).toEqual([
      '  --out <dir>   where to write',
      '  --dry-run     change nothing [DRY_RUN]',
    ]);
  });
});
