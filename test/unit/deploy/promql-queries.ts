/**
 * The PromQL of the operations kit (deploy/monitoring): every alert expression of the PrometheusRule and
 * every query of the Grafana dashboard, parsed with the Prometheus project's own grammar
 * (`@prometheus-io/lezer-promql`, the parser of the Prometheus web UI). Shared by the unit tests and the
 * e2e test that checks the metric names against a running operator's /metrics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

const MONITORING_DIR = join(import.meta.dirname, '..', '..', '..', 'deploy', 'monitoring');
export const RULES_FILE = join(MONITORING_DIR, 'prometheus-rule.yaml');
export const DASHBOARD_FILE = join(MONITORING_DIR, 'dashboards', 'ram-delegation-operator.json');

/** One PromQL expression and where it comes from, e.g. `alert RamDelegationStalled`. */
export interface Query {
  source: string;
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The alerting rules of a PrometheusRule manifest, in file order. */
export function alertRules(prometheusRuleYaml: string): AlertRule[] {
  const manifest = parseYaml(prometheusRuleYaml) as { spec: { groups: { rules: AlertRule[] }[] } };
  return manifest.spec.groups.flatMap((group) => group.rules);
}

function ruleQueries(prometheusRuleYaml: string): Query[] {
  return alertRules(prometheusRuleYaml).map((rule) => ({ source: `alert ${rule.alert}`, expr: rule.expr }));
}

interface DashboardPanel {
  title: string;
  panels?: DashboardPanel[];
  targets?: { refId: string; expr?: string }[];
}

/**
 * Every PromQL query of a Grafana dashboard: panel targets (also inside rows) and the metric selectors
 * of `label_values(selector, label)` template variables, with Grafana's variables substituted.
 */
function dashboardQueries(dashboardJson: string): Query[] {
  const dashboard = JSON.parse(dashboardJson) as {
    panels: DashboardPanel[];
    templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const targets = panels.flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr !== undefined)
      .map((target) => ({
        source: `panel "${panel.title}" target ${target.refId}`,
        expr: grafanaToPromQL(target.expr!),
      })),
  );
  const variables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => {
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      const labelValues = /^label_values\((.+),\s*[a-zA-Z_]\w*\)$/.exec(query.trim());
      if (!labelValues) throw new Error(`variable ${variable.name}: not a label_values() query: ${query}`);
      return { source: `variable ${variable.name}`, expr: grafanaToPromQL(labelValues[1]!) };
    });
  return [...targets, ...variables];
}

/** The queries of the kit as checked in (or of copies of its two files, for tests that alter them). */
export function monitoringQueries(
  rulesYaml = readFileSync(RULES_FILE, 'utf8'),
  dashboardJson = readFileSync(DASHBOARD_FILE, 'utf8'),
): Query[] {
  return [...ruleQueries(rulesYaml), ...dashboardQueries(dashboardJson)];
}

/**
 * What Grafana substitutes before a query reaches Prometheus: interval variables become durations and
 * the dashboard's own variables a sample value. An unknown variable is an error, so a query cannot slip
 * past the parser by using one.
 */
const GRAFANA_VARIABLES: Record<string, string> = {
  __rate_interval: '2m',
  __interval: '30s',
  __range: '6h',
  job: 'ram-delegation-operator-metrics',
};

export function grafanaToPromQL(expr: string): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable $${name} in: ${expr}`);
    return value;
  });
}

interface LabelMatcher {
  name: string;
  op: string;
  value: string;
}

interface Selector {
  /** Undefined when the selector names no metric (e.g. `{job="x"}`). */
  metric: string | undefined;
  matchers: LabelMatcher[];
}

export interface PromQLAnalysis {
  /** Offsets of syntax errors; empty when the expression parses. */
  errors: number[];
  selectors: Selector[];
  /** Number literals that a comparison (`>`, `<`, `==`...) compares against: the thresholds. */
  thresholds: string[];
  /** Range and offset durations, e.g. `15m`. */
  durations: string[];
}

const COMPARISONS = new Set(['Gtr', 'Lss', 'Gte', 'Lte', 'Eql', 'Neq']);

export function analyzePromQL(expr: string): PromQLAnalysis {
  const analysis: PromQLAnalysis = { errors: [], selectors: [], thresholds: [], durations: [] };
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  parser.parse(expr).iterate({
    enter(ref) {
      const node = ref.node;
      if (ref.type.isError) analysis.errors.push(ref.from);
      else if (ref.name === 'NumberDurationLiteralInDurationContext') analysis.durations.push(text(ref));
      else if (ref.name === 'NumberDurationLiteral' && node.parent && isComparison(node.parent))
        analysis.thresholds.push(text(ref));
      else if (ref.name === 'VectorSelector') {
        const identifier = node.getChild('Identifier');
        const matchers = node
          .getChild('LabelMatchers')
          ?.getChildren('UnquotedLabelMatcher')
          .map((matcher) => ({
            name: text(matcher.getChild('LabelName')!),
            op: text(matcher.getChild('MatchOp')!),
            value: unquote(text(matcher.getChild('StringLiteral')!)),
          }));
        analysis.selectors.push({
          metric: identifier ? text(identifier) : undefined,
          matchers: matchers ?? [],
        });
      }
    },
  });
  return analysis;
}

interface SyntaxNodeLike {
  name: string;
  firstChild: SyntaxNodeLike | null;
  nextSibling: SyntaxNodeLike | null;
}

/** Whether `node` is a binary expression with a comparison operator. */
function isComparison(node: SyntaxNodeLike): boolean {
  if (node.name !== 'BinaryExpr') return false;
  for (let child = node.firstChild; child; child = child.nextSibling)
    if (COMPARISONS.has(child.name)) return true;
  return false;
}

/** A PromQL string literal's value: double or single quotes with Go escapes, or a raw backtick string. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  return body.replace(/\\(.)/g, (_, escaped: string) => ({ n: '\n', t: '\t' })[escaped] ?? escaped);
}
