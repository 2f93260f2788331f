import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallObserver } from '../alicloud/ports.js';
import { createLifecycleMetrics, type LifecycleMetrics } from './lifecycle-metrics.js';

/**
 * The operator's Prometheus metrics, on a registry of their own (never prom-client's global one, so
 * tests and several operators in one process do not collide). Names are prefixed `ram_delegation_`.
 *
 * Label values are bounded on purpose: results, sides, RAM action names and error codes. Account IDs
 * are never labels; delegation names and users label only the lifecycle gauges (lifecycle-metrics.ts),
 * whose alerts must name the delegation.
 */

/** Which account a cloud call acted in: the resource owner (A) or the authorized account (B). */
export type AccountSide = 'owner' | 'authorized';

/** How a reconcile pass ended. */
export type ReconcileResult = 'success' | 'requeue' | 'error' | 'stalled';

export type ReadyStatus = 'True' | 'False' | 'Unknown';

export interface OperatorMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'result'>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly cloudCalls: Counter<'side' | 'action' | 'kind' | 'code'>;
  readonly cloudCallDuration: Histogram<'side' | 'action'>;
  readonly queueDepth: Gauge;
  readonly queueRetries: Counter;
  readonly driftCorrections: Counter<'side'>;
  readonly revocationDuration: Histogram;
  /** Revocation attempts that failed; the finalizer stays and the attempt is retried (alerting hook). */
  readonly revocationFailures: Counter;
  readonly isLeader: Gauge;
  /** Seconds to expiry, AccessKey age and idle time, by delegation and user. */
  readonly lifecycle: LifecycleMetrics;
  /** Records one finished reconcile pass. */
  observeReconcile(result: ReconcileResult, seconds: number): void;
  /**
   * Supplies the delegations-by-Ready gauge, read at every scrape (e.g. counted from the informer's
   * cache), so the gauge can never drift from what the cluster shows.
   */
  countDelegationsBy(counter: () => Partial<Record<ReadyStatus, number>>): void;
}

export interface MetricsOptions {
  /** Also export Node.js process metrics (CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
  /** The clock the lifecycle gauges compute their seconds with at each scrape. */
  clock?: () => Date;
}

const PREFIX = 'ram_delegation_';

export function createMetrics(options: MetricsOptions = {}): OperatorMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const reconcileTotal = new Counter({
    name: `${PREFIX}reconcile_total`,
    help: 'Reconcile passes, by result (success, requeue, error, stalled).',
    labelNames: ['result'] as const,
    registers,
  });
  const reconcileDuration = new Histogram({
    name: `${PREFIX}reconcile_duration_seconds`,
    help: 'Duration of reconcile passes, by result.',
    labelNames: ['result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const cloudCalls = new Counter({
    name: `${PREFIX}cloud_api_calls_total`,
    help: 'Alibaba Cloud API calls, by account side, action, read/write and error code (OK when it succeeded).',
    labelNames: ['side', 'action', 'kind', 'code'] as const,
    registers,
  });
  const cloudCallDuration = new Histogram({
    name: `${PREFIX}cloud_api_call_duration_seconds`,
    help: 'Latency of Alibaba Cloud API calls, by account side and action.',
    labelNames: ['side', 'action'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const queueDepth = new Gauge({
    name: `${PREFIX}workqueue_depth`,
    help: 'Delegation keys waiting for a worker.',
    registers,
  });
  const queueRetries = new Counter({
    name: `${PREFIX}workqueue_retries_total`,
    help: 'Keys requeued with backoff after a failed pass.',
    registers,
  });
  let readyCounter: () => Partial<Record<ReadyStatus, number>> = () => ({});
  new Gauge({
    name: `${PREFIX}delegations`,
    help: 'CrossAccountDelegations by the status of their Ready condition (Unknown when not yet reconciled).',
    labelNames: ['ready'] as const,
    registers,
    collect() {
      const counts = readyCounter();
      for (const status of ['True', 'False', 'Unknown'] as const)
        this.set({ ready: status }, counts[status] ?? 0);
    },
  });
  const driftCorrections = new Counter({
    name: `${PREFIX}drift_corrections_total`,
    help: 'Out-of-band changes put back by a resync, by account side.',
    labelNames: ['side'] as const,
    registers,
  });
  const revocationDuration = new Histogram({
    name: `${PREFIX}revocation_duration_seconds`,
    help: 'Time from the start of a revocation until every grant was removed.',
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers,
  });
  const revocationFailures = new Counter({
    name: `${PREFIX}revocation_failures_total`,
    help: 'Failed revocation attempts (the finalizer stays and they are retried; access may outlive the deletion).',
    registers,
  });
  const isLeader = new Gauge({
    name: `${PREFIX}leader`,
    help: '1 while this replica holds the leader Lease.',
    registers,
  });

  const lifecycle = createLifecycleMetrics(PREFIX, registers, options.clock ?? (() => new Date()));

  return {
    registry,
    lifecycle,
    reconcileTotal,
    reconcileDuration,
    cloudCalls,
    cloudCallDuration,
    queueDepth,
    queueRetries,
    driftCorrections,
    revocationDuration,
    revocationFailures,
    isLeader,
    observeReconcile(result, seconds) {
      reconcileTotal.inc({ result });
      reconcileDuration.observe({ result }, seconds);
    },
    countDelegationsBy(counter) {
      readyCounter = counter;
    },
  };
}

/** A {@link CallObserver} that counts and times every cloud call made on one account side. */
export function cloudCallMetrics(metrics: OperatorMetrics, side: AccountSide): CallObserver {
  return {
    afterCall(call) {
      metrics.cloudCalls.inc({ side, action: call.action, kind: call.kind, code: call.errorCode ?? 'OK' });
      metrics.cloudCallDuration.observe({ side, action: call.action }, call.durationMs / 1000);
    },
  };
}

/** The status of a delegation's Ready condition; no Ready condition yet is Unknown. */
export function readyStatusOf(delegation: unknown): ReadyStatus {
  const conditions = (delegation as { status?: { conditions?: unknown } } | undefined)?.status?.conditions;
  const ready = Array.isArray(conditions)
    ? (conditions as { type?: unknown; status?: unknown }[]).find((condition) => condition?.type === 'Ready')
        ?.status
    : undefined;
  return ready === 'True' || ready === 'False' ? ready : 'Unknown';
}

/**
 * Counts delegations by the status of their Ready condition (see {@link readyStatusOf}), e.g. over the
 * informer's records for {@link OperatorMetrics.countDelegationsBy}.
 */
export function countByReady(statuses: Iterable<ReadyStatus>): Record<ReadyStatus, number> {
  const counts: Record<ReadyStatus, number> = { True: 0, False: 0, Unknown: 0 };
  for (const status of statuses) counts[status]++;
  return counts;
}

/** Work-queue hooks that keep the depth gauge and the retry counter current. */
export function workQueueMetrics(metrics: OperatorMetrics): {
  onDepthChange(depth: number): void;
  onRetry(): void;
} {
  return {
    onDepthChange: (depth) => metrics.queueDepth.set(depth),
    onRetry: () => metrics.queueRetries.inc(),
  };
}
