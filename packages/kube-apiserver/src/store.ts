/**
 * The object store: every object of every resource, one global strictly increasing resourceVersion,
 * and a bounded history of changes that watches replay from. A stored object is never mutated: a write
 * stores a new object, so readers may hand stored objects straight to JSON.stringify.
 */
import type { KubeObject } from './types.js';

type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  revision: number;
  type: ChangeType;
  storageKey: string;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED change (for selector transitions). */
  previous?: KubeObject;
}

class Collection {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | undefined;

  sortedKeys(): string[] {
    this.sorted ??= [...this.objects.keys()].sort();
    return this.sorted;
  }

  set(key: string, object: KubeObject): void {
    if (!this.objects.has(key)) this.sorted = undefined;
    this.objects.set(key, object);
  }

  delete(key: string): void {
    if (this.objects.delete(key)) this.sorted = undefined;
  }
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private revision = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly ring: (StoreEvent | undefined)[];
  private ringStart = 0;
  private ringSize = 0;
  /** Changes up to and including this revision are no longer in the history. */
  private compactedRevision = 0;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(readonly historyLimit = 10_000) {
    this.ring = new Array<StoreEvent | undefined>(historyLimit);
  }

  currentRevision(): number {
    return this.revision;
  }

  /** The oldest revision a watch or a continue token may still start from. */
  oldestValidRevision(): number {
    return this.compactedRevision;
  }

  private collection(storageKey: string): Collection {
    let c = this.collections.get(storageKey);
    if (!c) {
      c = new Collection();
      this.collections.set(storageKey, c);
    }
    return c;
  }

  get(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collections.get(storageKey)?.objects.get(objectKey(namespace, name));
  }

  /**
   * Objects in key order (namespace/name), optionally one namespace only, starting after `afterKey`.
   * Returns the keys with the objects so that pagination can resume.
   */
  *scan(storageKey: string, namespace?: string, afterKey?: string): Generator<[string, KubeObject]> {
    const c = this.collections.get(storageKey);
    if (!c) return;
    const keys = c.sortedKeys();
    let i = 0;
    if (afterKey !== undefined) {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((keys[mid] ?? '') <= afterKey) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    } else if (namespace !== undefined) {
      const prefix = `${namespace}/`;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((keys[mid] ?? '') < prefix) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    for (; i < keys.length; i++) {
      const key = keys[i] ?? '';
      if (namespace !== undefined && !key.startsWith(`${namespace}/`)) {
        if (key > `${namespace}/`) return;
        continue;
      }
      const object = c.objects.get(key);
      if (object) yield [key, object];
    }
  }

  list(storageKey: string, namespace?: string): KubeObject[] {
    return [...this.scan(storageKey, namespace)].map(([, o]) => o);
  }

  /** Every stored object with its store key (for the garbage collector and namespace cleanup). */
  *everything(): Generator<[string, KubeObject]> {
    for (const [storageKey, c] of this.collections) {
      for (const object of c.objects.values()) yield [storageKey, object];
    }
  }

  /** Stores a new or changed object, taking ownership of it and stamping the next resourceVersion. */
  put(storageKey: string, object: KubeObject, previous?: KubeObject): KubeObject {
    object.metadata.resourceVersion = String(++this.revision);
    this.collection(storageKey).set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), object);
    this.record({
      revision: this.revision,
      type: previous ? 'MODIFIED' : 'ADDED',
      storageKey,
      object,
      previous,
    });
    return object;
  }

  /** Removes an object; the DELETED event carries it with a fresh resourceVersion, as the real server's. */
  remove(storageKey: string, object: KubeObject): KubeObject {
    const gone: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(++this.revision) },
    };
    this.collection(storageKey).delete(objectKey(object.metadata.namespace, object.metadata.name ?? ''));
    this.record({ revision: this.revision, type: 'DELETED', storageKey, object: gone, previous: object });
    return gone;
  }

  private record(event: StoreEvent): void {
    const limit = this.ring.length;
    if (limit > 0) {
      if (this.ringSize === limit) {
        const dropped = this.ring[this.ringStart];
        if (dropped) this.compactedRevision = dropped.revision;
        this.ring[this.ringStart] = event;
        this.ringStart = (this.ringStart + 1) % limit;
      } else {
        this.ring[(this.ringStart + this.ringSize) % limit] = event;
        this.ringSize++;
      }
    } else {
      this.compactedRevision = event.revision;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Changes after `revision`, oldest first, or undefined when some of them were already dropped. */
  eventsAfter(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedRevision) return undefined;
    const events: StoreEvent[] = [];
    const limit = this.ring.length;
    for (let i = 0; i < this.ringSize; i++) {
      const event = this.ring[(this.ringStart + i) % limit];
      if (event && event.revision > revision) events.push(event);
    }
    return events;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
