import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DIR, referenceDocFiles } from '../../../scripts/docs.js';
import {
  conditionReasonDocs,
  ConditionType,
  conditionTypeDocs,
  EventReason,
  eventReasonDocs,
  Reason,
} from '../../../src/api/index.js';
import { configUsage } from '../../../src/config.js';
import { createMetrics } from '../../../src/observability/metrics.js';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

/** The operator's sources outside src/api/, where reasons are produced rather than declared. */
function producerSources(): { file: string; text: string }[] {
  return readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`api`))
    .map((file) => ({ file, text: read('src', file) }));
}

/** Names used as `<object>.<Name>` in the sources, e.g. every `Reason.X`. */
function memberReferences(object: string): Set<string> {
  const pattern = new RegExp(`\\b${object}\\.([A-Za-z]+)`, 'g');
  return new Set(producerSources().flatMap(({ text }) => [...text.matchAll(pattern)].map((m) => m[1]!)));
}

/** CamelCase string literals written directly as a `reason:` (Events are recorded this way). */
function literalReasons(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of producerSources()) {
    for (const [, expression] of text.matchAll(/\breason:\s*([^,\n}]+)/g)) {
      for (const [, literal] of expression!.matchAll(/'([A-Z][A-Za-z]+)'/g)) found.set(literal!, file);
    }
  }
  return found;
}

describe('generated reference docs', () => {
  it('match the committed docs/reference/ pages (run `npm run docs` after changing src/api/)', async () => {
    for (const [file, text] of await referenceDocFiles()) {
      expect(read(REFERENCE_DIR, file), `${REFERENCE_DIR}/${file}`).toBe(text);
    }
  });
});

describe('reasons are declared once and match what the operator produces', () => {
  it('derives Reason, EventReason and ConditionType from their tables', () => {
    expect(Object.entries(Reason)).toEqual(Object.keys(conditionReasonDocs).map((name) => [name, name]));
    expect(Object.entries(EventReason)).toEqual(Object.keys(eventReasonDocs).map((name) => [name, name]));
    expect(Object.entries(ConditionType)).toEqual(Object.keys(conditionTypeDocs).map((name) => [name, name]));
  });

  it('uses names metav1.Condition and events.k8s.io accept (CamelCase, at most 128 characters)', () => {
    for (const name of [...Object.keys(conditionReasonDocs), ...Object.keys(eventReasonDocs)]) {
      expect(name).toMatch(/^[A-Z][A-Za-z0-9]{0,127}$/);
    }
  });

  it('declares no condition reason that src/ never uses', () => {
    const used = memberReferences('Reason');
    expect(Object.keys(conditionReasonDocs).filter((name) => !used.has(name))).toEqual([]);
  });

  it('declares every Event reason src/ records, and none it does not', () => {
    const literals = literalReasons();
    const declared = new Set([...Object.keys(eventReasonDocs), ...Object.keys(conditionReasonDocs)]);
    const undeclared = [...literals].filter(([name]) => !declared.has(name)).map(([n, f]) => `${n} (${f})`);
    expect(undeclared).toEqual([]);
    const produced = new Set([...literals.keys(), ...memberReferences('EventReason')]);
    expect(Object.keys(eventReasonDocs).filter((name) => !produced.has(name))).toEqual([]);
  });
});

describe('hand-written reference pages name everything the code has', () => {
  it('operator-flags.md lists every flag of `ram-delegation operator --help`', () => {
    const page = read(REFERENCE_DIR, 'operator-flags.md');
    const flags = [...configUsage.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.filter((flag) => !page.includes(`\`${flag}`))).toEqual([]);
  });

  it('metrics.md lists every metric the operator registers', async () => {
    const page = read(REFERENCE_DIR, 'metrics.md');
    const { registry } = createMetrics({ processMetrics: false });
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !page.includes(`\`${name}`))).toEqual([]);
  });
});
