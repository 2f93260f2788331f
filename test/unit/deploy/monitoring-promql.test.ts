/**
 * Issue 16: every PromQL expression of the alerts and the dashboard parses with the Prometheus grammar,
 * names a metric of the operator, and every alert documents its threshold and `for:` in its runbook.
 * (That the names are really exported is checked against a running operator: test/e2e/monitoring.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  alertRules,
  analyzePromQL,
  grafanaToPromQL,
  monitoringQueries,
  RULES_FILE,
  type AlertRule,
} from './promql-queries.js';

const rulesYaml = readFileSync(RULES_FILE, 'utf8');
const rules = alertRules(rulesYaml);
const queries = monitoringQueries();

/** What a runbook must mention: the `for:` duration and every threshold, window and bucket bound. */
function undocumented(rule: AlertRule): string[] {
  const runbook = rule.annotations.runbook ?? '';
  const { thresholds, durations, selectors } = analyzePromQL(rule.expr);
  const bounds = selectors.flatMap((s) => s.matchers.filter((m) => m.name === 'le').map((m) => m.value));
  const mentioned = (value: string) =>
    new RegExp(`(^|[^\\w.])${value.replace(/\./g, '\\.')}($|[^\\d.])`).test(runbook);
  const missing = [...thresholds, ...durations, ...bounds].filter((value) => !mentioned(value));
  if (!runbook.includes(`for: ${rule.for ?? 'none'}`)) missing.push(`for: ${rule.for ?? 'none'}`);
  return missing;
}

describe('the PromQL of deploy/monitoring', () => {
  it('finds every alert and every dashboard query', () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'RamDelegationNotReady',
      'RamDelegationStalled',
      'RamDelegationRevocationSlow',
      'RamDelegationRevocationFailing',
      'RamDelegationCloudApiThrottled',
      'RamDelegationCloudApiErrors',
      'RamDelegationWorkQueueBackingUp',
      'RamDelegationNoLeader',
      'RamDelegationOperatorAbsent',
      'RamDelegationExpiringSoon',
      'RamDelegationAccessKeyUnused',
    ]);
    const panelQueries = queries.filter((q) => q.source.startsWith('panel '));
    expect(panelQueries.length).toBeGreaterThanOrEqual(20);
    expect(queries.filter((q) => q.source.startsWith('variable '))).toHaveLength(1);
  });

  it('parses every expression with the Prometheus grammar', () => {
    const failures = queries
      .map((q) => ({ ...q, errors: analyzePromQL(q.expr).errors }))
      .filter((q) => q.errors.length > 0)
      .map((q) => `${q.source}: syntax error at ${q.errors[0]} in ${q.expr}`);
    expect(failures).toEqual([]);
  });

  it('reports a syntax error (the parse check can fail)', () => {
    expect(
      analyzePromQL('sum by (side) (rate(ram_delegation_cloud_api_calls_total[5m]) >').errors,
    ).not.toEqual([]);
    expect(analyzePromQL('ram_delegation_leader{job="x"').errors).not.toEqual([]);
    expect(
      analyzePromQL('sum by (side) (rate(ram_delegation_cloud_api_calls_total[5m])) > 0').errors,
    ).toEqual([]);
  });

  it('names an operator metric in every selector', () => {
    const selectors = queries.flatMap((q) =>
      analyzePromQL(q.expr).selectors.map((s) => [q.source, s.metric]),
    );
    expect(selectors.length).toBeGreaterThan(queries.length - 1);
    expect(selectors.filter(([, metric]) => !metric?.startsWith('ram_delegation_'))).toEqual([]);
  });

  it('substitutes Grafana variables and refuses unknown ones', () => {
    expect(grafanaToPromQL('rate(x{job=~"$job"}[$__rate_interval])')).toBe(
      'rate(x{job=~"ram-delegation-operator-metrics"}[2m])',
    );
    expect(grafanaToPromQL('increase(x{job=~"${job}"}[$__range])')).toBe(
      'increase(x{job=~"ram-delegation-operator-metrics"}[6h])',
    );
    expect(() => grafanaToPromQL('x{pod=~"$pod"}')).toThrow(/unknown Grafana variable \$pod/);
  });

  it('documents each alert’s threshold and for: duration in its runbook', () => {
    expect(rules.map((rule) => [rule.alert, undocumented(rule)])).toEqual(rules.map((r) => [r.alert, []]));
    const changed = { ...rules[0]!, expr: rules[0]!.expr.replace('> 0', '> 3'), for: '45m' };
    expect(undocumented(changed)).toEqual(['3', 'for: 45m']);
  });

  it('groups the lifecycle alerts in ram-delegation.lifecycle, naming the delegation (and the user)', () => {
    const groups = (parseYaml(rulesYaml) as { spec: { groups: { name: string; rules: AlertRule[] }[] } }).spec
      .groups;
    const lifecycle = groups.find((g) => g.name === 'ram-delegation.lifecycle');
    expect(lifecycle?.rules.map((r) => r.alert)).toEqual([
      'RamDelegationExpiringSoon',
      'RamDelegationAccessKeyUnused',
    ]);
    const by = (rule: AlertRule) => /by \(([^)]*)\)/.exec(rule.expr)?.[1]?.split(/,\s*/);
    expect(by(lifecycle!.rules[0]!)).toEqual(['namespace', 'name', 'job']);
    expect(by(lifecycle!.rules[1]!)).toEqual(['namespace', 'name', 'user', 'job']);
  });

  it('gives every alert a severity, a summary, a description and a runbook', () => {
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(['description', 'runbook', 'summary']);
    }
  });
});
