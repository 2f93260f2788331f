/**
 * Issue 16: deploy/monitoring is a kustomize Component that renders with kubectl's built-in kustomize,
 * in the example overlay and when deploy/kustomization.yaml includes it. Its ServiceMonitor and
 * PrometheusRule pass the prometheus-operator CRD schemas (@kubernetes-models/prometheus-operator), and
 * the ServiceMonitor selects the metrics Service's labels and port name as rendered.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DASHBOARD_FILE } from './promql-queries.js';

const root = join(import.meta.dirname, '..', '..', '..');
const render = async (dir: string) =>
  parseAllDocuments((await promisify(execFile)('kubectl', ['kustomize', dir])).stdout).map((d) => d.toJS());

let rendered: any[];
let scratch: string;
const byKind = (kind: string, docs = rendered) => docs.filter((d) => d.kind === kind);

beforeAll(async () => {
  rendered = await render(join(root, 'deploy', 'overlays', 'monitoring'));
  scratch = mkdtempSync(join(tmpdir(), 'ram-delegation-kustomize-'));
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Problems with how `monitor` selects `service` (empty: Prometheus would scrape it). */
function selectionProblems(monitor: any, service: any): string[] {
  const problems: string[] = [];
  const labels = service.metadata.labels ?? {};
  for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels ?? {}))
    if (labels[key] !== value) problems.push(`Service lacks label ${key}=${String(value)}`);
  if (monitor.spec.selector.matchExpressions) problems.push('matchExpressions are not checked');
  const namespaces = monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata.namespace];
  if (!namespaces.includes(service.metadata.namespace))
    problems.push(`Service namespace ${service.metadata.namespace} is not selected`);
  const ports = new Set(service.spec.ports.map((p: { name?: string }) => p.name));
  for (const endpoint of monitor.spec.endpoints)
    if (!ports.has(endpoint.port)) problems.push(`Service has no port named ${endpoint.port}`);
  return problems;
}

describe('deploy/monitoring', () => {
  it('renders in the example overlay: the operator plus a ServiceMonitor, a PrometheusRule and a dashboard', () => {
    expect(rendered.map((d) => d.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'CustomResourceDefinition',
      'Deployment',
      'Namespace',
      'PodDisruptionBudget',
      'PrometheusRule',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'ConfigMap'])
      expect(byKind(kind)[0].metadata.namespace, kind).toBe('ram-delegation-system');
  });

  it('renders when deploy/kustomization.yaml includes it as a component', async () => {
    cpSync(join(root, 'deploy'), join(scratch, 'deploy'), { recursive: true });
    cpSync(join(root, 'crds'), join(scratch, 'crds'), { recursive: true });
    const kustomization = join(scratch, 'deploy', 'kustomization.yaml');
    writeFileSync(kustomization, `${readFileSync(kustomization, 'utf8')}components:\n  - monitoring\n`);
    const docs = await render(join(scratch, 'deploy'));
    expect(docs.map((d) => d.kind).sort()).toEqual(rendered.map((d) => d.kind).sort());
  });

  it('passes the prometheus-operator schemas, which refuse a broken copy', () => {
    const [monitor] = byKind('ServiceMonitor');
    const [rule] = byKind('PrometheusRule');
    expect(() => new ServiceMonitor(monitor).validate()).not.toThrow();
    expect(() => new PrometheusRule(rule).validate()).not.toThrow();

    const brokenMonitor = structuredClone(monitor);
    brokenMonitor.spec.endpoints[0].interval = '30 seconds';
    expect(() => new ServiceMonitor(brokenMonitor).validate()).toThrow(/interval/);
    const brokenRule = structuredClone(rule);
    brokenRule.spec.groups[0].rules[0].for = '15 minutes';
    expect(() => new PrometheusRule(brokenRule).validate()).toThrow(/for/);
  });

  it('selects the metrics Service by its rendered labels and port name', () => {
    const [monitor] = byKind('ServiceMonitor');
    const services = byKind('Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['ram-delegation-operator-metrics']);
    expect(selectionProblems(monitor, services[0])).toEqual([]);
    expect(monitor.spec.endpoints.map((e: any) => e.path)).toEqual(['/metrics']);
    // The lifecycle gauges' own `namespace` (the delegation's) is kept, not renamed exported_namespace.
    expect(monitor.spec.endpoints.map((e: any) => e.honorLabels)).toEqual([true]);

    // The Service's port serves the Deployment's metrics port, where /metrics is.
    const [deployment] = byKind('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const metricsPort = container.ports.find((p: any) => p.name === services[0].spec.ports[0].targetPort);
    expect(metricsPort.containerPort).toBe(8080);
    expect(container.args).toContain('--bind-address=:8080');

    const renamed = structuredClone(services[0]);
    renamed.spec.ports[0].name = 'http-metrics';
    renamed.metadata.labels['app.kubernetes.io/name'] = 'something-else';
    expect(selectionProblems(monitor, renamed)).toEqual([
      'Service lacks label app.kubernetes.io/name=ram-delegation-operator',
      'Service has no port named metrics',
    ]);
  });

  it('ships the dashboard as a ConfigMap the Grafana sidecar picks up', () => {
    const [configMap] = byKind('ConfigMap');
    expect(configMap.metadata.name).toBe('ram-delegation-operator-dashboard');
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(configMap.data['ram-delegation-operator.json']).toBe(readFileSync(DASHBOARD_FILE, 'utf8'));
  });
});
