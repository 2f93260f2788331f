import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { CacheRecord } from './record-cache.js';
import type { BackoffPolicy, Timers } from './timing.js';
import type { openWatch } from './watch-stream.js';
import type { Priority } from './work-queue.js';

/** What an `Informer` (`informer.ts`) is given: the resource, what to keep, where keys go, timings. */

/** Anything that takes keys: the work queue. */
export interface KeySink {
  add(key: string, priority?: Priority): void;
  /**
   * Whether `key` already has a pass coming (queued, running, or waiting on a timer such as its
   * resync): a periodic relist that enqueues every key skips those whose object did not change.
   */
  isScheduled?(key: string): boolean;
}

export interface ListPageRequest {
  limit: number;
  continue?: string;
  labelSelector?: string;
}

export interface InformerOptions<T extends KubernetesObject, R extends CacheRecord> {
  name: string;
  kubeConfig: KubeConfig;
  /** The collection path, e.g. `/apis/ram-delegation.dev/v1alpha1/crossaccountdelegations`. */
  path: string;
  /** One page of the collection. */
  listPage: (request: ListPageRequest) => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  /** The record kept for an object. */
  project: (object: T) => R;
  /** The keys to enqueue for a changed object (default: its own `namespace/name`). */
  keysFor?: (key: string, record: R) => readonly string[];
  /** The lane a change goes to (default routine). */
  priorityOf?: (record: R) => Priority;
  /** Called (synchronously) when a record is stored or removed (`undefined`), before keys are enqueued. */
  onRecord?: (key: string, record: R | undefined, previous: R | undefined) => void;
  /**
   * Called (synchronously) after every list has replaced the cache, the first and every relist: a
   * hook for level-based checks that need the whole cache (e.g. Secrets no delegation uses any more).
   */
  onListed?: () => void;
  /**
   * What a periodic relist enqueues: every key (default; those the sink has a pass scheduled for are
   * skipped unless changed) or only what changed since.
   */
  relistEnqueues?: 'all' | 'changed';
  /** How often to relist (default 30 min, ±10%); 0 disables. */
  relistPeriodMs?: number;
  sink: KeySink;
  logger?: Logger;
  timers?: Timers;
  random?: () => number;
  /** Backoff after a failed list or watch (default 500 ms doubling to 30 s, jittered). */
  backoff?: BackoffPolicy;
  /** The range `timeoutSeconds` is drawn from (default 300-600). */
  watchTimeoutSeconds?: { min: number; max: number };
  /** A watch silent for this long is aborted (default 150 s; bookmarks arrive about every minute). */
  watchIdleMs?: number;
  /** Page size of lists (default 500). */
  pageSize?: number;
  /** Opens a watch (default: `openWatch` in `watch-stream.ts`); injected in tests. */
  openWatch?: typeof openWatch;
}
