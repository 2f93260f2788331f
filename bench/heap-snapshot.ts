/**
 * V8 heap snapshots of the benchmarked operator (`--heap-snapshot`), and what they hold.
 *
 * The operator runs with `--heapsnapshot-signal=SIGUSR2`: on the signal, V8 collects garbage and
 * writes `Heap.*.heapsnapshot` into the operator's working directory. The sum of the nodes' self sizes
 * is the live heap; comparing two snapshots taken with different numbers of delegations gives what a
 * delegation keeps alive, without the heap's slack that RSS includes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../test/reliability/fleet.js';
import type { BenchOperator } from './bench-operator.js';
import { round } from './support.js';

/** A snapshot's file and the live heap it holds, in MiB, by kind of node. */
export interface HeapSnapshotSummary {
  file: string;
  liveMiB: number;
  /** The largest kinds of node (V8's type, and the constructor or shape name), in MiB, largest first. */
  largestMiB: Record<string, number>;
}

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const MiB = (bytes: number) => round(bytes / 2 ** 20, 2);

/** Signals the operator to write a snapshot into `dir` and waits for the new file. */
export async function takeHeapSnapshot(operator: BenchOperator, dir: string): Promise<string | undefined> {
  const before = new Set(readdirSync(dir));
  operator.signal('SIGUSR2');
  for (let waited = 0; waited < 120_000; waited += 1_000) {
    await sleep(1_000);
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (file) {
      await sleep(5_000); // the file is complete once V8 has written it all
      return join(dir, file);
    }
  }
  return undefined;
}

/** Sums a snapshot's nodes: all of them, and by kind (strings by type only, code as one). */
export function summarizeHeapSnapshot(file: string, largest = 8): HeapSnapshotSummary {
  const json = JSON.parse(readFileSync(file, 'utf8')) as SnapshotJson;
  const fields = json.snapshot.meta.node_fields;
  const types = json.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const bySort = new Map<string, number>();
  let live = 0;
  for (let i = 0; i < json.nodes.length; i += fields.length) {
    const type = types[json.nodes[i + (typeAt ?? 0)] ?? 0] ?? '?';
    const size = json.nodes[i + (sizeAt ?? 0)] ?? 0;
    const named = !/string|code|number/.test(type);
    const kind = named
      ? `${type} ${json.strings[json.nodes[i + (nameAt ?? 0)] ?? 0] ?? ''}`.slice(0, 60)
      : type;
    bySort.set(kind, (bySort.get(kind) ?? 0) + size);
    live += size;
  }
  const top = [...bySort].sort((a, b) => b[1] - a[1]).slice(0, largest);
  return { file, liveMiB: MiB(live), largestMiB: Object.fromEntries(top.map(([k, v]) => [k, MiB(v)])) };
}
