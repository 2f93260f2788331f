/**
 * Issue 16: the Grafana dashboard is importable as is (no `__inputs`; every query goes through the
 * `datasource` variable), its panels tile the 24-column grid without overlapping, and it has the panels
 * the issue asks for, each with a description.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_FILE } from './promql-queries.js';

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8'));
const allPanels: any[] = dashboard.panels.flatMap((p: any) => [p, ...(p.panels ?? [])]);
const panels = allPanels.filter((p) => p.type !== 'row');
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('the Grafana dashboard', () => {
  it('is importable: a stable uid, a datasource variable, no __inputs', () => {
    expect(dashboard.uid).toBe('ram-delegation-operator');
    expect(dashboard.id).toBeNull();
    expect(dashboard.__inputs).toBeUndefined();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const variables = dashboard.templating.list;
    expect(variables.find((v: any) => v.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    expect(variables.find((v: any) => v.name === 'job').datasource).toEqual(DATASOURCE);
  });

  it('queries every panel and target through the datasource variable', () => {
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) expect(target.datasource, panel.title).toEqual(DATASOURCE);
      const refIds = panel.targets.map((t: any) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
  });

  it('lays the panels out on the grid without overlaps, with unique ids', () => {
    const ids = allPanels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of allPanels) {
      const { x, w } = panel.gridPos;
      expect(x >= 0 && w > 0 && x + w <= 24, panel.title).toBe(true);
    }
    const clashes = allPanels.flatMap((a, i) =>
      allPanels
        .slice(i + 1)
        .flatMap((b) => (overlap(a.gridPos, b.gridPos) ? [`${a.title} / ${b.title}`] : [])),
    );
    expect(clashes).toEqual([]);
  });

  it('has the panels the issue asks for, each described', () => {
    const titles = panels.map((p) => p.title);
    for (const wanted of [
      /^Delegations by Ready condition$/,
      /^Reconcile rate by result$/,
      /^Reconcile errors/,
      /^Reconcile duration$/,
      /^Revocation latency histogram$/,
      /^Cloud calls by account side and action$/,
      /^Cloud call errors by account side, action and code$/,
      /^Work queue depth$/,
      /^Work queue retries$/,
      /^Drift corrections by account side$/,
      /^Leader$/,
      /^Delegations expiring soonest$/,
      /^AccessKeys idle longest$/,
    ])
      expect(
        titles.some((t) => wanted.test(t)),
        String(wanted),
      ).toBe(true);
    for (const panel of panels) expect(panel.description?.length, panel.title).toBeGreaterThan(30);
  });
});
