/**
 * The metric-existence check itself, against the operator's real metrics registry in-process: it must
 * know histogram suffixes and flag renamed metrics, labels and buckets. The same check runs against a
 * running operator's /metrics in test/e2e/monitoring.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';
import { missingFromExposition, parseExposition, unsampledMetrics } from './metrics-exposition.js';

async function exposition() {
  const metrics = createMetrics({ processMetrics: false });
  metrics.observeReconcile('success', 0.3);
  return parseExposition(await metrics.registry.metrics());
}

const query = (expr: string) => [{ source: 'test', expr }];

describe('checking queries against an exposition', () => {
  it('accepts a histogram only by its _bucket, _sum and _count series', async () => {
    const exported = await exposition();
    expect(exported.names).toContain('ram_delegation_revocation_duration_seconds_bucket');
    expect(exported.names).toContain('ram_delegation_revocation_duration_seconds_count');
    expect(exported.names).not.toContain('ram_delegation_revocation_duration_seconds');
    expect(exported.buckets.get('ram_delegation_revocation_duration_seconds_bucket')).toContain('30');
    expect(missingFromExposition(query('ram_delegation_revocation_duration_seconds'), exported)).toEqual([
      'test: ram_delegation_revocation_duration_seconds is not exported',
    ]);
  });

  it('accepts what the operator exports, with its labels and bucket bounds', async () => {
    const exported = await exposition();
    const ok = query(
      'sum by (le) (rate(ram_delegation_reconcile_duration_seconds_bucket{result="success", le="2.5", job="x"}[5m]))' +
        ' + on () ram_delegation_leader + ram_delegation_revocation_failures_total',
    );
    expect(missingFromExposition(ok, exported)).toEqual([]);
  });

  it('flags a renamed metric, an unknown label, a missing bucket and a nameless selector', async () => {
    const exported = await exposition();
    expect(missingFromExposition(query('rate(ram_delegation_reconciles_total[5m])'), exported)).toEqual([
      'test: ram_delegation_reconciles_total is not exported',
    ]);
    expect(
      missingFromExposition(query('ram_delegation_reconcile_total{outcome="success"}'), exported),
    ).toEqual(['test: ram_delegation_reconcile_total has no label outcome']);
    expect(
      missingFromExposition(query('ram_delegation_revocation_duration_seconds_bucket{le="45"}'), exported),
    ).toEqual(['test: ram_delegation_revocation_duration_seconds_bucket has no bucket le="45"']);
    expect(missingFromExposition(query('{job="x"}'), exported)).toEqual([
      'test: a selector without a metric name',
    ]);
  });

  it('lists the used metrics whose labels it could not check (no sample yet)', async () => {
    const exported = await exposition();
    const used = query(
      'ram_delegation_drift_corrections_total{side="owner"} + ram_delegation_reconcile_total',
    );
    expect(unsampledMetrics(used, exported)).toEqual(['ram_delegation_drift_corrections_total']);
  });
});
