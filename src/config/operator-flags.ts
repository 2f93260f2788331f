import type { FlagSpec } from './flags.js';
import { LOG_LEVELS, type ConfigField } from './operator-schema.js';

/**
 * The operator's settings as flags: each flag fills one field of the configuration schema, from the
 * command line or else from its environment variable. The order here is the order of `--help`.
 */
export interface OperatorFlag extends FlagSpec {
  field: ConfigField;
}

export const OPERATOR_FLAGS: readonly OperatorFlag[] = [
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
    field: 'shard',
    flag: 'shard',
    env: 'RAM_DELEGATION_SHARD',
    kind: 'string',
    help: 'reconcile only delegations labelled ram-delegation.dev/shard=<name>, with its own Lease (default: only unlabelled ones)',
    placeholder: 'name',
  },
  {
    field: 'workers',
    flag: 'workers',
    env: 'RAM_DELEGATION_WORKERS',
    kind: 'string',
    help: 'delegations reconciled concurrently (default: 4); a revocation may run as one more when all are busy',
  },
  {
    field: 'resyncPeriod',
    flag: 'resync-period',
    env: 'RAM_DELEGATION_RESYNC_PERIOD',
    kind: 'string',
    help: 'drift check period; each delegation resyncs at its own phase within it (default: 10m)',
  },
  {
    field: 'orphanSweepPeriod',
    flag: 'orphan-sweep-period',
    env: 'RAM_DELEGATION_ORPHAN_SWEEP_PERIOD',
    kind: 'string',
    help: 'how often each account is listed once for leftovers of deleted delegations; 0 disables (default: 1h)',
  },
  {
    field: 'relistPeriod',
    flag: 'relist-period',
    env: 'RAM_DELEGATION_RELIST_PERIOD',
    kind: 'string',
    help: 'full relist (delegations with no pass scheduled are enqueued), jittered ±10%; 0 disables (default: 30m)',
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
    help: 'Lease name; --shard appends -<shard> (default: ram-delegation-operator)',
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
    field: 'expiryWarning',
    flag: 'expiry-warning',
    env: 'RAM_DELEGATION_EXPIRY_WARNING',
    kind: 'string',
    help: 'ExpiresSoon Warning this long before spec.expiresAt (default: 168h)',
  },
  {
    field: 'unusedKeyWarning',
    flag: 'unused-key-warning',
    env: 'RAM_DELEGATION_UNUSED_KEY_WARNING',
    kind: 'string',
    help: 'AccessKeyUnused Warning for a key unused this long (default: 2160h)',
  },
  {
    field: 'credentialChainNamespaces',
    flag: 'credential-chain-namespaces',
    env: 'RAM_DELEGATION_CREDENTIAL_CHAIN_NAMESPACES',
    kind: 'string',
    help: "comma-separated namespaces that may use the operator's own credentials; * for all (default: none)",
  },
];
