import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  cloudCallMetrics,
  countByReady,
  readyStatusOf,
  createMetrics,
  workQueueMetrics,
} from '../../../src/observability/metrics.js';

/** The sample lines of one metric family in the exposition text. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(name) && !line.startsWith('#'));
}

describe('operator metrics', () => {
  it('uses a registry of its own, so two instances do not collide', async () => {
    const first = createMetrics({ processMetrics: false });
    const second = createMetrics({ processMetrics: false });
    first.queueRetries.inc();
    expect(samples(await first.registry.metrics(), 'ram_delegation_workqueue_retries_total')).toEqual([
      'ram_delegation_workqueue_retries_total 1',
    ]);
    expect(samples(await second.registry.metrics(), 'ram_delegation_workqueue_retries_total')).toEqual([
      'ram_delegation_workqueue_retries_total 0',
    ]);
    expect(await globalRegistry.metrics()).not.toContain('ram_delegation_');
  });

  it('counts and times reconciles by result', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeReconcile('success', 0.2);
    metrics.observeReconcile('success', 3);
    metrics.observeReconcile('error', 0.01);
    const text = await metrics.registry.metrics();
    expect(samples(text, 'ram_delegation_reconcile_total')).toEqual([
      'ram_delegation_reconcile_total{result="success"} 2',
      'ram_delegation_reconcile_total{result="error"} 1',
    ]);
    expect(text).toContain('ram_delegation_reconcile_duration_seconds_bucket{le="0.25",result="success"} 1');
    expect(text).toContain('ram_delegation_reconcile_duration_seconds_bucket{le="5",result="success"} 2');
    expect(text).toContain('ram_delegation_reconcile_duration_seconds_count{result="error"} 1');
  });

  it('adapts cloud calls through a CallObserver, labelled by side, action and error code', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const owner = cloudCallMetrics(metrics, 'owner');
    const authorized = cloudCallMetrics(metrics, 'authorized');
    owner.afterCall?.({ accountId: '1111111111111111', action: 'CreateRole', kind: 'write', durationMs: 40 });
    owner.afterCall?.({
      accountId: '1111111111111111',
      action: 'GetRole',
      kind: 'read',
      durationMs: 12,
      errorCode: 'EntityNotExist.Role',
    });
    authorized.afterCall?.({
      accountId: '2222222222222222',
      action: 'CreateUser',
      kind: 'write',
      durationMs: 30,
      errorCode: 'Throttling.User',
    });
    const text = await metrics.registry.metrics();
    expect(samples(text, 'ram_delegation_cloud_api_calls_total')).toEqual([
      'ram_delegation_cloud_api_calls_total{side="owner",action="CreateRole",kind="write",code="OK"} 1',
      'ram_delegation_cloud_api_calls_total{side="owner",action="GetRole",kind="read",code="EntityNotExist.Role"} 1',
      'ram_delegation_cloud_api_calls_total{side="authorized",action="CreateUser",kind="write",code="Throttling.User"} 1',
    ]);
    expect(text).not.toContain('1111111111111111');
    expect(text).toContain(
      'ram_delegation_cloud_api_call_duration_seconds_sum{side="owner",action="CreateRole"} 0.04',
    );
  });

  it('reads the delegations-by-Ready gauge at scrape time', async () => {
    const metrics = createMetrics({ processMetrics: false });
    let counts = { True: 3, False: 1 };
    metrics.countDelegationsBy(() => counts);
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_delegations')).toEqual([
      'ram_delegation_delegations{ready="True"} 3',
      'ram_delegation_delegations{ready="False"} 1',
      'ram_delegation_delegations{ready="Unknown"} 0',
    ]);
    counts = { True: 4, False: 0 };
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_delegations')[0]).toBe(
      'ram_delegation_delegations{ready="True"} 4',
    );
  });

  it('exposes queue depth and retries through the work-queue hooks, drift and revocation', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const hooks = workQueueMetrics(metrics);
    hooks.onDepthChange(5);
    hooks.onDepthChange(2);
    hooks.onRetry();
    metrics.driftCorrections.inc({ side: 'owner' });
    metrics.revocationDuration.observe(1.5);
    metrics.isLeader.set(1);
    const text = await metrics.registry.metrics();
    expect(samples(text, 'ram_delegation_workqueue_depth')).toEqual(['ram_delegation_workqueue_depth 2']);
    expect(samples(text, 'ram_delegation_workqueue_retries_total')).toEqual([
      'ram_delegation_workqueue_retries_total 1',
    ]);
    expect(samples(text, 'ram_delegation_drift_corrections_total')).toEqual([
      'ram_delegation_drift_corrections_total{side="owner"} 1',
    ]);
    expect(text).toContain('ram_delegation_revocation_duration_seconds_bucket{le="2.5"} 1');
    expect(samples(text, 'ram_delegation_leader')).toEqual(['ram_delegation_leader 1']);
  });

  it('adds process metrics with the prefix when asked', async () => {
    const metrics = createMetrics();
    expect(await metrics.registry.metrics()).toContain('ram_delegation_process_cpu_user_seconds_total');
  });

  it('counts delegations by Ready, treating a missing condition as Unknown', () => {
    const withReady = (status: string) => ({
      status: {
        conditions: [
          { type: 'OwnerSynced', status: 'False' },
          { type: 'Ready', status },
        ],
      },
    });
    expect(
      countByReady(
        [
          withReady('True'),
          withReady('True'),
          withReady('False'),
          withReady('Unknown'),
          {},
          { status: { conditions: 'junk' } },
        ].map(readyStatusOf),
      ),
    ).toEqual({
      True: 2,
      False: 1,
      Unknown: 3,
    });
  });
});
