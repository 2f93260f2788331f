import type { KubernetesObject } from '@kubernetes/client-node';
import { AccountRateLimiters, type CloudEndpoints } from '../alicloud/index.js';
import type { OperatorConfig } from '../config.js';
import { generatePassword } from '../delegation/password.js';
import type { Logger } from '../observability/logger.js';
import { createHealthServer } from '../observability/health-server.js';
import {
  cloudCallMetrics,
  countByReady,
  createMetrics,
  workQueueMetrics,
  type OperatorMetrics,
} from '../observability/metrics.js';
import { AccountAccess } from './account-access.js';
import { classifyError } from './classify-error.js';
import { CredentialSecrets, createSecretReleaseController } from './credential-secrets.js';
import { EventRecorder } from './events.js';
import {
  createDelegationInformer,
  createSecretInformer,
  secretStillReferenced,
} from './delegation-informers.js';
import type { Informer } from './informer.js';
import { createKubeClients, loadKubeConfig } from './kube-clients.js';
import { LeaderElector } from './leader-election.js';
import { LastUsedReads, lifecycleSettings } from './lifecycle-settings.js';
import { OrphanSweep } from './orphan-sweep.js';
import { DelegationReconciler } from './reconciler.js';
import { createStatusWriter } from './status-writer.js';
import { jittered, WorkQueue } from './work-queue.js';

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

/**
 * Wires the operator: Kubernetes clients, the CrossAccountDelegation and Secret informers feeding the
 * delegation work queue and its reconciler, the credential-Secret release controller with its own
 * queue, Events, metrics and health endpoints, and leader election. Only the leader runs informers and
 * workers; the others wait on the Lease.
 */
export async function startOperator(
  config: OperatorConfig,
  deps: OperatorDependencies,
): Promise<RunningOperator> {
  const { logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const kube = createKubeClients(loadKubeConfig(config.kubeconfig));
  const metrics = createMetrics();
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
    });

  // Assigned below; stillReferenced reads it lazily.
  let delegations: Informer<KubernetesObject> | undefined = undefined;
  const credentialSecrets = new CredentialSecrets({
    core: kube.core,
    stillReferenced: (namespace, secretName, exceptKey) =>
      secretStillReferenced(delegations?.list(namespace) ?? [], namespace, secretName, exceptKey),
  });
  const secretRelease = createSecretReleaseController(credentialSecrets, logger);
  const access = { owner: accessFor('owner'), authorized: accessFor('authorized') };
  const engine = { allowBroadPolicies: config.allowBroadPolicies, concurrency: 4, generatePassword, clock };
  const orphans = new OrphanSweep({
    periodMs: config.orphanSweepPeriodMs,
    clusterName: config.clusterName,
    ...(config.watchNamespace ? { watchNamespace: config.watchNamespace } : {}),
    delegations: () => delegations?.list() ?? [],
    access,
    customObjects: kube.customObjects,
    enqueue: (key) => queue.add(key),
    engine,
    logger,
  });
  const reconciler = new DelegationReconciler({
    kube,
    access,
    engine,
    clusterName: config.clusterName,
    events: new EventRecorder({
      api: kube.events,
      reportingInstance: config.leaderElection.identity.slice(0, 128),
      clock,
      logger,
    }),
    statusWriter: createStatusWriter(kube.customObjects),
    metrics,
    logger,
    clock,
    resyncDelayMs: () => jittered(config.resyncPeriodMs, config.resyncJitter, Math.random),
    credentialSecrets,
    orphans,
    lifecycle: { settings: lifecycleSettings(config), lastUsed: new LastUsedReads() },
  });
  const queue = new WorkQueue({
    workers: config.workers,
    handler: (key) => reconciler.reconcile(key),
    retryAfterOf: (error) => classifyError(error).retryAfterMs,
    hooks: {
      ...workQueueMetrics(metrics),
      onError: (key, error, attempt) =>
        logger.warn({ delegation: key, attempt, err: error }, 'reconcile will be retried'),
    },
  });
  delegations = createDelegationInformer({
    kubeConfig: kube.kubeConfig,
    customObjects: kube.customObjects,
    sink: queue,
    ...(config.watchNamespace ? { namespace: config.watchNamespace } : {}),
    onDelete: secretRelease.delegationDeleted,
    logger,
  });
  const secrets = createSecretInformer({
    kubeConfig: kube.kubeConfig,
    core: kube.core,
    delegations,
    sink: queue,
    ...(config.watchNamespace ? { namespace: config.watchNamespace } : {}),
    logger,
  });
  const informers = [delegations, secrets];
  metrics.countDelegationsBy(() => countByReady(delegations?.list() ?? []));

  let working = false;
  const startWork = () => {
    if (working) return;
    working = true;
    logger.info('started leading: starting informers and workers');
    queue.start();
    secretRelease.queue.start();
    orphans.start();
    for (const informer of informers)
      informer.start().catch((error: unknown) => logger.error({ err: error }, 'informer failed to start'));
  };
  const stopWork = async () => {
    if (!working) return;
    working = false;
    await Promise.all([...informers.map((informer) => informer.stop()), orphans.stop()]);
    await Promise.all([queue.shutdown(), secretRelease.queue.shutdown()]);
  };

  const health = createHealthServer({
    address: config.bindAddress,
    registry: metrics.registry,
    readiness: () =>
      !working || informers.every((i) => i.hasSynced()) ? true : 'informers have not synced yet',
    logger,
  });
  const { port: healthPort } = await health.start();

  let elector: LeaderElector | undefined;
  if (config.leaderElection.enabled) {
    const le = config.leaderElection;
    elector = new LeaderElector({
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
        if (working) {
          logger.warn('lost the lease: stopping work');
          void stopWork().then(() => deps.onLostLeadership?.());
        }
      },
      clock,
      logger,
    });
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
