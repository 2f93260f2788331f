import { AccountRateLimiters, type CloudEndpoints } from '../alicloud/index.js';
import type { OperatorConfig } from '../config.js';
import { generatePassword } from '../delegation/password.js';
import type { Logger } from '../observability/logger.js';
import { createHealthServer } from '../observability/health-server.js';
import {
  cloudCallMetrics,
  createMetrics,
  workQueueMetrics,
  type OperatorMetrics,
} from '../observability/metrics.js';
import { AccountAccess } from './account-access.js';
import { classifyError } from './classify-error.js';
import { CredentialSecrets, createSecretReleaseController } from './credential-secrets.js';
import { inShard, shardSelector } from './delegation-informers.js';
import { EventRecorder } from './events.js';
import { createKubeClients, loadKubeConfig } from './kube-clients.js';
import { LeaderElector } from './leader-election.js';
import { LastUsedReads, lifecycleSettings } from './lifecycle-settings.js';
import { createOperatorInformers, listDelegations, stillReferencedBy } from './operator-informers.js';
import { OrphanSweep } from './orphan-sweep.js';
import { OwnSecretWrites } from './own-secret-writes.js';
import { DelegationReconciler } from './reconciler.js';
import { createStatusWriter, type StatusWriter } from './status-writer.js';
import { phasedResyncDelay } from './timing.js';
import { WorkQueue } from './work-queue.js';

export interface RunningOperator {
  /** The port /metrics, /healthz and /readyz listen on. */
  healthPort: number;
  metrics: OperatorMetrics;
  /** Whether this replica currently holds the lease (always true without leader election). */
  isLeader(): boolean;
  /**
   * Graceful stop: take no new work, let in-flight passes finish, release the lease, close the servers.
   * Resolves when everything is closed.
   */
  stop(): Promise<void>;
}

export interface OperatorDependencies {
  logger: Logger;
  /** The environment the operator's own credential chain reads (from config.ts). */
  env: Readonly<Record<string, string | undefined>>;
  clock?: () => Date;
  /** Called if this replica loses the lease: the caller should exit (a new process starts clean). */
  onLostLeadership?: () => void;
}

/** How long in-flight passes get to unwind after leadership is lost, before the caller is told to exit. */
const LOST_LEADERSHIP_GRACE_MS = 2_000;

/**
 * Wires the operator: Kubernetes clients, the delegation and Secret informers (`operator-informers.ts`)
 * feeding the delegation work queue and its reconciler, the credential-Secret release controller with
 * its own queue, Events, metrics and health endpoints, and leader election on the shard's Lease. Only
 * the leader runs informers and workers; the others wait on the Lease. Losing the lease aborts the
 * elector's signal: no cloud call, Event or status write starts after that.
 */
export async function startOperator(
  config: OperatorConfig,
  deps: OperatorDependencies,
): Promise<RunningOperator> {
  const { logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const kube = createKubeClients(loadKubeConfig(config.kubeconfig));
  const metrics = createMetrics();
  const le = config.leaderElection;
  let working = false;
  const elector = le.enabled
    ? new LeaderElector({
        coordination: kube.coordination,
        namespace: le.leaseNamespace,
        name: le.leaseName,
        identity: le.identity,
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        onStartedLeading: () => {
          metrics.isLeader.set(1);
          startWork();
        },
        onStoppedLeading: () => {
          metrics.isLeader.set(0);
          if (!working) return;
          logger.warn('lost the lease: stopping work');
          void Promise.race([stopWork(), sleep(LOST_LEADERSHIP_GRACE_MS)]).then(() =>
            deps.onLostLeadership?.(),
          );
        },
        clock,
        logger,
      })
    : undefined;
  const signal = elector?.signal;
  const endpoints: CloudEndpoints = {
    ...(config.alicloud.ram ? { ram: config.alicloud.ram } : {}),
    ...(config.alicloud.sts ? { sts: config.alicloud.sts } : {}),
    protocol: config.alicloud.protocol,
    regionId: config.alicloud.regionId,
  };
  const accessFor = (side: 'owner' | 'authorized') =>
    new AccountAccess({
      core: kube.core,
      endpoints,
      limiters: new AccountRateLimiters(config.rateLimits[side]),
      observer: cloudCallMetrics(metrics, side),
      defaultChainNamespaces: new Set(config.credentialChainNamespaces),
      env: deps.env,
      ...(signal ? { signal } : {}),
    });

  const credentialSecrets = new CredentialSecrets({
    core: kube.core,
    // The informers are created below; nothing asks before they start.
    stillReferenced: stillReferencedBy(kube.customObjects, () => informers.index),
  });
  const secretRelease = createSecretReleaseController(credentialSecrets, logger);
  const access = { owner: accessFor('owner'), authorized: accessFor('authorized') };
  const engine = { allowBroadPolicies: config.allowBroadPolicies, concurrency: 4, generatePassword, clock };
  const orphans = new OrphanSweep({
    periodMs: config.orphanSweepPeriodMs,
    clusterName: config.clusterName,
    ...(config.watchNamespace ? { watchNamespace: config.watchNamespace } : {}),
    // Once a sweep period, a fresh paged list of this shard's delegations (the cache keeps records only).
    delegations: () =>
      listDelegations(kube.customObjects, config.watchNamespace, shardSelector(config.shard)),
    access,
    customObjects: kube.customObjects,
    enqueue: (key) => queue.add(key),
    engine,
    logger,
  });
  const statusWriter = createStatusWriter(kube.customObjects);
  const ownSecretWrites = new OwnSecretWrites();
  const reportingInstance = config.shard ? `${config.shard}/${le.identity}` : le.identity;
  const reconciler = new DelegationReconciler(
    {
      kube,
      access,
      engine,
      clusterName: config.clusterName,
      events: new EventRecorder({
        api: kube.events,
        reportingInstance: reportingInstance.slice(0, 128),
        clock,
        logger,
        ...(signal ? { signal } : {}),
      }),
      statusWriter: guarded(statusWriter, signal),
      metrics,
      logger,
      clock,
      resyncDelayMs: (key) =>
        phasedResyncDelay(key, config.resyncPeriodMs, clock().getTime(), config.resyncMinGap),
      credentialSecrets,
      orphans,
      lifecycle: { settings: lifecycleSettings(config), lastUsed: new LastUsedReads() },
      ownSecretWrites,
    },
    { owns: (object) => inShard(object, config.shard) },
  );
  const queue = new WorkQueue({
    workers: config.workers,
    handler: (key, lane) => reconciler.reconcile(key, lane),
    retryAfterOf: (error) => classifyError(error).retryAfterMs,
    hooks: {
      ...workQueueMetrics(metrics),
      onError: (key, error, attempt) =>
        logger.warn({ delegation: key, attempt, err: error }, 'reconcile will be retried'),
    },
  });
  const informers = createOperatorInformers({
    kube,
    queue,
    shard: config.shard,
    namespace: config.watchNamespace,
    relistPeriodMs: config.relistPeriodMs,
    isOwnWrite: (key, fingerprint) => ownSecretWrites.isOwnWrite(key, fingerprint),
    onCredentialsDropped: secretRelease.secretsDropped,
    logger,
    clock,
  });
  metrics.countDelegationsBy(() => informers.readyCounts());

  const startWork = () => {
    if (working) return;
    working = true;
    logger.info({ shard: config.shard ?? null }, 'started leading: starting informers and workers');
    queue.start();
    secretRelease.queue.start();
    orphans.start();
    informers.start();
  };
  const stopWork = async () => {
    if (!working) return;
    working = false;
    await Promise.all([informers.stop(), orphans.stop()]);
    await Promise.all([queue.shutdown(), secretRelease.queue.shutdown()]);
  };

  const health = createHealthServer({
    address: config.bindAddress,
    registry: metrics.registry,
    readiness: () => (!working || informers.hasSynced() ? true : 'informers have not synced yet'),
    logger,
  });
  const { port: healthPort } = await health.start();

  if (elector) {
    elector.run().catch((error: unknown) => logger.error({ err: error }, 'leader election stopped'));
  } else {
    metrics.isLeader.set(1);
    startWork();
  }

  return {
    healthPort,
    metrics,
    isLeader: () => working,
    async stop() {
      logger.info('stopping: finishing in-flight reconciles');
      await stopWork();
      await elector?.stop();
      await health.stop();
      logger.info('stopped');
    },
  };
}

/** The status writer, writing nothing once `signal` is aborted (this replica lost its leadership). */
function guarded(writer: StatusWriter, signal: AbortSignal | undefined): StatusWriter {
  if (!signal) return writer;
  return {
    write: (target, desired) => (signal.aborted ? Promise.resolve(false) : writer.write(target, desired)),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
