import type { Timers } from './timing.js';

/**
 * Keys waiting for a deadline (a requeue-after, a backoff, a resync), each with a payload, handed to
 * `onDue` once their deadline has passed, earliest first.
 *
 * Every Ready delegation waits here for its next resync, so the cost per key matters: the keys sit in
 * one binary min-heap by deadline under a single timer armed for the earliest, instead of a timer per
 * key (a Node `Timeout`, its closure and, since every delay differs, its own timer list: about 300
 * bytes more per key). Scheduling and firing are O(log n).
 *
 * Caveat: the timer may fire a little before `timers.now()` reaches the deadline (Node measures from
 * its cached loop time); the keys not yet due then wait on a new timer for what remains.
 */

interface Entry<P> {
  key: string;
  at: number;
  payload: P;
  /** When it was set, in order: keys with the same deadline fire in the order they were set. */
  order: number;
  /** Its position in the heap. */
  index: number;
}

/** Whether `a` fires before `b`. */
const before = <P>(a: Entry<P>, b: Entry<P>) => a.at < b.at || (a.at === b.at && a.order < b.order);

export class DelayedKeys<P> {
  private readonly heap: Entry<P>[] = [];
  private readonly byKey = new Map<string, Entry<P>>();
  private setCount = 0;
  /** The armed timer, and the deadline it was armed for. */
  private armed: { handle: unknown; at: number } | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly onDue: (key: string, payload: P) => void,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The deadline and payload `key` waits with, if it waits. */
  get(key: string): { at: number; payload: P } | undefined {
    const entry = this.byKey.get(key);
    return entry && { at: entry.at, payload: entry.payload };
  }

  /** Makes `key` due at `at` (a `timers.now()` time) with `payload`, replacing what it waited with. */
  set(key: string, at: number, payload: P): void {
    const entry = this.byKey.get(key);
    const order = this.setCount++;
    if (entry) {
      const earlier = at < entry.at;
      entry.at = at;
      entry.payload = payload;
      entry.order = order;
      if (earlier) this.up(entry.index);
      else this.down(entry.index);
    } else {
      const added = { key, at, payload, order, index: this.heap.length };
      this.heap.push(added);
      this.byKey.set(key, added);
      this.up(added.index);
    }
    this.arm();
  }

  /** Forgets every key and disarms the timer. */
  clear(): void {
    this.heap.length = 0;
    this.byKey.clear();
    this.disarm();
  }

  private fire(): void {
    this.armed = undefined;
    const now = this.timers.now();
    for (let first = this.heap[0]; first && first.at <= now; first = this.heap[0]) {
      this.removeFirst();
      this.onDue(first.key, first.payload);
    }
    this.arm();
  }

  /** Arms the timer for the earliest deadline, unless it already is. */
  private arm(): void {
    const first = this.heap[0];
    if (this.armed?.at === first?.at) return;
    this.disarm();
    if (!first) return;
    const handle = this.timers.setTimeout(() => this.fire(), Math.max(1, first.at - this.timers.now()));
    this.armed = { handle, at: first.at };
  }

  private disarm(): void {
    if (this.armed) this.timers.clearTimeout(this.armed.handle);
    this.armed = undefined;
  }

  private removeFirst(): void {
    const first = this.heap[0] as Entry<P>;
    const last = this.heap.pop() as Entry<P>;
    this.byKey.delete(first.key);
    if (last === first) return;
    this.place(last, 0);
    this.down(0);
  }

  private up(index: number): void {
    const entry = this.heap[index] as Entry<P>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.heap[parentIndex] as Entry<P>;
      if (!before(entry, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(entry, index);
  }

  private down(index: number): void {
    const entry = this.heap[index] as Entry<P>;
    const count = this.heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const leftEntry = this.heap[left] as Entry<P>;
      const rightEntry = this.heap[right];
      const child = rightEntry && before(rightEntry, leftEntry) ? rightEntry : leftEntry;
      if (!before(child, entry)) break;
      const childIndex = child.index;
      this.place(child, index);
      index = childIndex;
    }
    this.place(entry, index);
  }

  private place(entry: Entry<P>, index: number): void {
    this.heap[index] = entry;
    entry.index = index;
  }
}
