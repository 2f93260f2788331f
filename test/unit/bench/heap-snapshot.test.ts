import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeHeapSnapshot } from '../../../bench/heap-snapshot.js';

/** A V8 heap snapshot in miniature: nodes of (type, name, id, self_size, edge_count). */
function snapshotFile(nodes: Array<[string, string, number]>): string {
  const types = ['hidden', 'array', 'string', 'object', 'code', 'closure'];
  const strings: string[] = [];
  const id = (text: string) => (strings.includes(text) ? strings.indexOf(text) : strings.push(text) - 1);
  const json = {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [types, 'string', 'number'],
      },
    },
    nodes: nodes.flatMap(([type, name, size], i) => [types.indexOf(type), id(name), i + 1, size, 0]),
    edges: [],
    strings,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'heap-snapshot-test-')), 'Heap.heapsnapshot');
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('summarizeHeapSnapshot', () => {
  it('sums self sizes, strings and code by type, objects by constructor, largest first', () => {
    const MiB = 2 ** 20;
    const file = snapshotFile([
      ['string', 'eventbridge-readonly', 3 * MiB],
      ['string', 'default/eventbridge-readonly', 1 * MiB],
      ['code', 'reconcile', 2 * MiB],
      ['object', 'DelegationRecord', 1.5 * MiB],
      ['object', 'Timeout', 0.25 * MiB],
      ['object', 'Timeout', 0.25 * MiB],
      ['closure', 'fire', 0.5 * MiB],
    ]);
    const summary = summarizeHeapSnapshot(file, 3);
    expect(summary.liveMiB).toBe(8.5);
    expect(summary.largestMiB).toEqual({ string: 4, code: 2, 'object DelegationRecord': 1.5 });
    expect(Object.keys(summary.largestMiB)).toEqual(['string', 'code', 'object DelegationRecord']);
  });
});
