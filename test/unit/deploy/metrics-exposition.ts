/**
 * Checks PromQL queries against what an operator really exports: the Prometheus text exposition of its
 * /metrics. A query may only select series names the exposition declares (histograms only as
 * `_bucket`, `_sum` and `_count`), only match labels those series carry, and only `le` bounds the
 * histogram has.
 */
import { analyzePromQL, type Query } from './promql-queries.js';

/** Labels Prometheus adds to every scraped series (ServiceMonitor targets), not the operator. */
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'service', 'endpoint', 'container']);

export interface Exposition {
  /** Every series name a query may select, derived from the `# TYPE` lines. */
  names: Set<string>;
  /** Label names seen on the samples of each series name (absent: no sample yet). */
  labels: Map<string, Set<string>>;
  /** The `le` values of each `_bucket` series. */
  buckets: Map<string, Set<string>>;
}

const SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parseExposition(text: string): Exposition {
  const exposition: Exposition = { names: new Set(), labels: new Map(), buckets: new Map() };
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const suffixes = SUFFIXES[type[2]!];
      if (!suffixes) throw new Error(`unknown metric type in: ${line}`);
      for (const suffix of suffixes) exposition.names.add(`${type[1]}${suffix}`);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+/.exec(line);
    if (!sample) continue;
    const name = sample[1]!;
    const labels = exposition.labels.get(name) ?? new Set<string>();
    exposition.labels.set(name, labels);
    for (const [, label, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels.add(label!);
      if (label === 'le') {
        const bounds = exposition.buckets.get(name) ?? new Set<string>();
        exposition.buckets.set(name, bounds.add(value!));
      }
    }
  }
  return exposition;
}

/**
 * What the queries use that the exposition does not have, one line per problem (empty: all good):
 * unknown series names, selectors without a metric name, labels no sample carries, missing `le`
 * bounds. Labels of a series without samples cannot be checked; {@link unsampledMetrics} lists those.
 */
export function missingFromExposition(queries: readonly Query[], exposition: Exposition): string[] {
  const problems: string[] = [];
  for (const { source, expr } of queries) {
    for (const { metric, matchers } of analyzePromQL(expr).selectors) {
      if (metric === undefined) {
        problems.push(`${source}: a selector without a metric name`);
        continue;
      }
      if (!exposition.names.has(metric)) {
        problems.push(`${source}: ${metric} is not exported`);
        continue;
      }
      const labels = exposition.labels.get(metric);
      for (const { name, op, value } of matchers) {
        if (labels && !labels.has(name) && !TARGET_LABELS.has(name))
          problems.push(`${source}: ${metric} has no label ${name}`);
        if (name === 'le' && op === '=' && !exposition.buckets.get(metric)?.has(value))
          problems.push(`${source}: ${metric} has no bucket le="${value}"`);
      }
    }
  }
  return problems;
}

/** The metrics the queries use that are declared but have no sample yet (their labels are unchecked). */
export function unsampledMetrics(queries: readonly Query[], exposition: Exposition): string[] {
  const metrics = queries.flatMap(({ expr }) => analyzePromQL(expr).selectors.map((s) => s.metric ?? ''));
  return [...new Set(metrics)].filter((m) => exposition.names.has(m) && !exposition.labels.has(m)).sort();
}
