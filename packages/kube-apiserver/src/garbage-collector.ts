/**
 * A small garbage collector and namespace controller. Dependents whose every owner (by ownerReferences
 * uid) is gone are deleted in the background; a Terminating namespace has its contents deleted (objects
 * with finalizers wait for them) and is removed once empty. Work runs after the triggering request's
 * response, as the real controllers run asynchronously.
 */
import type { ServerContext } from './context.js';
import { deleteObject } from './deletion.js';
import type { StoreEvent } from './store.js';
import type { KubeObject } from './types.js';
import { NAMESPACES_KEY } from './writes.js';

interface Dependent {
  storageKey: string;
  namespace: string | undefined;
  name: string;
  owners: string[];
}

export class GarbageCollector {
  private readonly live = new Set<string>();
  private readonly dependents = new Map<string, Map<string, Dependent>>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly ctx: ServerContext) {
    this.unsubscribe = ctx.store.subscribe((event) => this.observe(event));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private later(work: () => void): void {
    setImmediate(() => {
      if (!this.stopped) work();
    });
  }

  private index(storageKey: string, object: KubeObject, add: boolean): void {
    const refKey = `${storageKey}|${object.metadata.namespace ?? ''}|${object.metadata.name ?? ''}`;
    const owners = (object.metadata.ownerReferences ?? []).map((r) => r.uid ?? '').filter(Boolean);
    for (const owner of owners) {
      let set = this.dependents.get(owner);
      if (add) {
        if (!set) this.dependents.set(owner, (set = new Map<string, Dependent>()));
        set.set(refKey, {
          storageKey,
          namespace: object.metadata.namespace,
          name: object.metadata.name ?? '',
          owners,
        });
      } else if (set) {
        set.delete(refKey);
        if (set.size === 0) this.dependents.delete(owner);
      }
    }
  }

  private observe(event: StoreEvent): void {
    const { object, previous, storageKey } = event;
    if (previous) this.index(storageKey, previous, false);
    const uid = object.metadata.uid;
    if (event.type === 'DELETED') {
      if (uid) {
        this.live.delete(uid);
        if (this.dependents.has(uid)) this.later(() => this.collect(uid));
      }
      const ns = object.metadata.namespace;
      if (ns && this.ctx.store.get(NAMESPACES_KEY, undefined, ns)?.metadata.deletionTimestamp) {
        this.later(() => this.cleanNamespace(ns));
      }
      return;
    }
    if (uid) this.live.add(uid);
    this.index(storageKey, object, true);
    if (
      storageKey === NAMESPACES_KEY &&
      object.metadata.deletionTimestamp &&
      !previous?.metadata.deletionTimestamp
    ) {
      const name = object.metadata.name ?? '';
      this.later(() => this.cleanNamespace(name));
    }
  }

  private deleteQuietly(storageKey: string, namespace: string | undefined, name: string): void {
    const type = this.ctx.registry.byStorageKey(storageKey)[0];
    const object = this.ctx.store.get(storageKey, namespace, name);
    if (!object || object.metadata.deletionTimestamp) return;
    if (type) {
      deleteObject(this.ctx, type, namespace, name, { dryRun: false });
    } else {
      this.ctx.store.remove(storageKey, object);
    }
  }

  private collect(ownerUid: string): void {
    const set = this.dependents.get(ownerUid);
    if (!set) return;
    for (const dependent of [...set.values()]) {
      if (dependent.owners.some((uid) => this.live.has(uid))) continue;
      this.deleteQuietly(dependent.storageKey, dependent.namespace, dependent.name);
    }
  }

  private cleanNamespace(namespace: string): void {
    const ns = this.ctx.store.get(NAMESPACES_KEY, undefined, namespace);
    if (!ns?.metadata.deletionTimestamp) return;
    const keys = new Set(
      this.ctx.registry
        .all()
        .filter((t) => t.namespaced)
        .map((t) => t.storageKey),
    );
    let remaining = 0;
    for (const storageKey of keys) {
      for (const [, object] of [...this.ctx.store.scan(storageKey, namespace)]) {
        remaining++;
        this.deleteQuietly(storageKey, namespace, object.metadata.name ?? '');
      }
    }
    if (remaining === 0 || [...keys].every((k) => this.ctx.store.scan(k, namespace).next().done)) {
      this.ctx.store.remove(NAMESPACES_KEY, ns);
    }
  }
}
