import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerOptions } from './informer-options.js';
import { objectKey } from './kube-clients.js';
import { RecordCache, type CacheRecord } from './record-cache.js';
import { backoffDelay, jittered, systemTimers, type BackoffPolicy, type Timers } from './timing.js';
import { openWatch, type OpenWatch, type WatchEvent } from './watch-stream.js';

/**
 * A list+watch loop over one resource that turns every change into work-queue keys and keeps, per
 * object, only a small record the caller projects from it (never the object: a pass GETs what it
 * needs). Replaces client-node's ListWatch, which sends no timeoutSeconds and no
 * allowWatchBookmarks, ignores ERROR events other than 410 and re-watches at once without backoff.
 *
 * - Lists in pages (`limit`/`continue`), then watches from the list's resourceVersion with
 *   `allowWatchBookmarks=true` and a random `timeoutSeconds` (5-10 min by default), so the server
 *   ends every watch and bookmarks keep the resume point fresh.
 * - A watch that ends is resumed from the last resourceVersion seen; a 410 (as an ERROR event or an
 *   HTTP status) relists; any other failure backs off (exponential, jittered) before trying again. A
 *   watch that delivered something or lived a while resets the backoff.
 * - A watchdog aborts a watch that has been silent (no event, no bookmark) for too long, or that
 *   outlived its own timeout plus a margin: the connection is dead even if TCP has not noticed.
 * - Every relist period the loop lists again and enqueues every key that changed or has no pass
 *   scheduled (level-based: a missed event, or a lost requeue, cannot leave a key unreconciled for
 *   longer than that), or only changed keys, as configured.
 * - Handlers only enqueue keys; they never start async work.
 */

/** A watch that lived this long (or delivered anything) was healthy: resume at once, reset the backoff. */
const HEALTHY_WATCH_MS = 1_000;
const WATCHDOG_MARGIN_MS = 30_000;
const WATCHDOG_TICK_MS = 5_000;

export class Informer<T extends KubernetesObject, R extends CacheRecord> {
  private readonly cache: RecordCache<R>;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private resourceVersion = '';
  private synced = false;
  private stopped = true;
  private relistDue = true;
  /** The next relist is the periodic one (it may enqueue every key). */
  private periodicRelist = false;
  private failures = 0;
  private current: OpenWatch | undefined;
  private wake: (() => void) | undefined;
  private relistTimer: unknown;
  private loop: Promise<void> | undefined;
  private watchCount = 0;
  private listCount = 0;

  constructor(private readonly options: InformerOptions<T, R>) {
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000, jitter: 0.5 };
    this.cache = new RecordCache<R>({
      ...(options.onRecord ? { onRecord: options.onRecord } : {}),
      enqueue: (key, record) => this.enqueue(key, record),
    });
  }

  /** Starts listing and watching in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.relistDue = true;
    this.loop = this.run();
    this.scheduleRelist();
  }

  /** Stops the loop and closes the watch; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.relistTimer !== undefined) this.timers.clearTimeout(this.relistTimer);
    this.current?.abort();
    this.wake?.();
    await this.loop;
  }

  /** True once the first list has filled the cache; stays true across relists. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Watches opened and lists made so far (each list counts once, whatever its pages). */
  get counts(): { watches: number; lists: number } {
    return { watches: this.watchCount, lists: this.listCount };
  }

  get(namespace: string | undefined, name: string): R | undefined {
    return this.cache.get(objectKey(namespace, name));
  }

  /** Every record, with its key. */
  entries(): IterableIterator<[string, R]> {
    return this.cache.entries();
  }

  get size(): number {
    return this.cache.size;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.relistDue) await this.relist();
        if (this.stopped) break;
        const healthy = await this.watch();
        if (healthy) this.failures = 0;
        else await this.sleep(this.nextDelay());
      } catch (error) {
        if (this.stopped) break;
        const delay = this.nextDelay();
        this.options.logger?.warn(
          { err: error, informer: this.options.name, retryInMs: delay },
          'list failed; retrying',
        );
        await this.sleep(delay);
      }
    }
  }

  private nextDelay(): number {
    this.failures++;
    return backoffDelay(this.failures, this.backoff, this.random);
  }

  /** Lists every page, replaces the cache, and enqueues what is new, changed or gone. */
  private async relist(): Promise<void> {
    const periodic = this.synced && this.periodicRelist;
    this.periodicRelist = false;
    const next = new Map<string, R>();
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.listPage({
        limit: this.options.pageSize ?? 500,
        ...(token ? { continue: token } : {}),
        ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      });
      for (const object of page.items) {
        const key = objectKey(object.metadata?.namespace, object.metadata?.name ?? '');
        next.set(key, this.options.project(object));
      }
      token = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (token);
    this.listCount++;
    const everyKey = periodic && (this.options.relistEnqueues ?? 'all') === 'all';
    const { sink } = this.options;
    this.cache.replace(next, (key) => everyKey && !sink.isScheduled?.(key));
    this.resourceVersion = resourceVersion;
    this.relistDue = false;
    this.synced = true;
    this.options.onListed?.();
  }

  private scheduleRelist(): void {
    const period = this.options.relistPeriodMs ?? 30 * 60_000;
    if (period <= 0 || this.stopped) return;
    this.relistTimer = this.timers.setTimeout(
      () => {
        this.relistDue = true;
        this.periodicRelist = true;
        this.current?.abort();
        this.scheduleRelist();
      },
      jittered(period, 0.1, this.random),
    );
  }

  /**
   * One watch from the current resourceVersion, until it ends. Resolves whether it was healthy (it
   * delivered something or lived a while); a 410 marks a relist as due.
   */
  private watch(): Promise<boolean> {
    const { min, max } = this.options.watchTimeoutSeconds ?? { min: 300, max: 600 };
    const timeoutSeconds = Math.round(min + (max - min) * this.random());
    const idleMs = this.options.watchIdleMs ?? 150_000;
    const startedAt = this.timers.now();
    let lastActivity = startedAt;
    let delivered = 0;
    let failed = false;
    this.watchCount++;
    const watch = (this.options.openWatch ?? openWatch)(
      this.options.kubeConfig,
      this.options.path,
      {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
        labelSelector: this.options.labelSelector,
      },
      (event) => {
        lastActivity = this.timers.now();
        delivered++;
        if (this.onEvent(event) === 'stop') {
          failed = true;
          watch.abort();
        }
      },
    );
    this.current = watch;
    let watchdog: unknown;
    const check = () => {
      const now = this.timers.now();
      if (now - lastActivity > idleMs || now - startedAt > timeoutSeconds * 1000 + WATCHDOG_MARGIN_MS) {
        this.options.logger?.warn(
          { informer: this.options.name, silentForMs: now - lastActivity },
          'watch went silent; reconnecting',
        );
        watch.abort();
        return;
      }
      watchdog = this.timers.setTimeout(check, WATCHDOG_TICK_MS);
    };
    watchdog = this.timers.setTimeout(check, WATCHDOG_TICK_MS);
    return watch.ended.then(({ error, established }) => {
      this.timers.clearTimeout(watchdog);
      this.current = undefined;
      if (error?.statusCode === 410) this.relistDue = true;
      if (error && !this.stopped)
        this.options.logger?.info({ err: error, informer: this.options.name }, 'watch ended with an error');
      // A relist is due (410, or the relist period): go straight to it.
      if (this.relistDue) return true;
      // A watch the server accepted and that then lived a while (or delivered something) was healthy,
      // however it ended (the server's timeout, a cut connection): resume at once. One that failed to
      // start or died at once backs off.
      const lived = this.timers.now() - startedAt;
      return !failed && established !== false && (delivered > 0 || lived >= HEALTHY_WATCH_MS);
    });
  }

  /** Applies one watch event; `stop` ends the watch (an ERROR). */
  private onEvent(event: WatchEvent): 'go' | 'stop' {
    const object = event.object;
    const version = object?.metadata?.resourceVersion;
    switch (event.type) {
      case 'BOOKMARK':
        if (version) this.resourceVersion = version;
        return 'go';
      case 'ERROR':
        if (object?.code === 410) this.relistDue = true;
        this.options.logger?.info(
          {
            informer: this.options.name,
            code: object?.code,
            reason: object?.reason,
            message: object?.message,
          },
          object?.code === 410 ? 'watch expired; relisting' : 'watch ERROR event; backing off',
        );
        return 'stop';
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        if (version) this.resourceVersion = version;
        const key = objectKey(object.metadata?.namespace, object.metadata?.name ?? '');
        if (event.type === 'DELETED') this.cache.delete(key);
        else this.cache.set(key, this.options.project(object as T));
        return 'go';
      }
      default:
        return 'go';
    }
  }

  private enqueue(key: string, record: R): void {
    const priority = this.options.priorityOf?.(record) ?? 'routine';
    const keys = this.options.keysFor ? this.options.keysFor(key, record) : [key];
    for (const each of keys) this.options.sink.add(each, priority);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.timers.clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
