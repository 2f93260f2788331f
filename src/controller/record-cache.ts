/**
 * What an informer remembers per object: a small record projected from it, by key, never the object.
 * Every change to the cache is reported (`onRecord`, e.g. to keep an index) and, when it deserves a
 * pass, handed on (`enqueue`): additions and removals always, updates only when the fingerprint changed.
 */

/** What the cache keeps per object; `fingerprint` decides whether an update deserves a pass. */
export interface CacheRecord {
  fingerprint: string;
}

export interface RecordCacheHooks<R extends CacheRecord> {
  /** Called (synchronously) when a record is stored or removed (`undefined`), before `enqueue`. */
  onRecord?: (key: string, record: R | undefined, previous: R | undefined) => void;
  /** The object behind `key` changed in a way that deserves a pass; `record` is its last record. */
  enqueue: (key: string, record: R) => void;
}

export class RecordCache<R extends CacheRecord> {
  private records = new Map<string, R>();

  constructor(private readonly hooks: RecordCacheHooks<R>) {}

  get(key: string): R | undefined {
    return this.records.get(key);
  }

  entries(): IterableIterator<[string, R]> {
    return this.records.entries();
  }

  get size(): number {
    return this.records.size;
  }

  /** An object was added or modified. */
  set(key: string, record: R): void {
    const previous = this.records.get(key);
    this.records.set(key, record);
    this.hooks.onRecord?.(key, record, previous);
    if (previous?.fingerprint !== record.fingerprint) this.hooks.enqueue(key, record);
  }

  /** An object was deleted (or left the selection); unknown keys are ignored. */
  delete(key: string): void {
    const previous = this.records.get(key);
    if (!previous) return;
    this.records.delete(key);
    this.hooks.onRecord?.(key, undefined, previous);
    this.hooks.enqueue(key, previous);
  }

  /**
   * Replaces everything with a fresh list's records: what is new, changed or gone is reported and
   * enqueued, and so is every unchanged key `enqueueUnchanged` picks (a periodic, level-based relist).
   */
  replace(next: Map<string, R>, enqueueUnchanged: (key: string) => boolean): void {
    const previous = this.records;
    this.records = next;
    for (const [key, record] of next) {
      const before = previous.get(key);
      this.hooks.onRecord?.(key, record, before);
      if (before?.fingerprint !== record.fingerprint || enqueueUnchanged(key))
        this.hooks.enqueue(key, record);
    }
    for (const [key, record] of previous) {
      if (next.has(key)) continue;
      this.hooks.onRecord?.(key, undefined, record);
      this.hooks.enqueue(key, record);
    }
  }
}
