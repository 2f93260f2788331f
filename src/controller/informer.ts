import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { objectKey } from './kube-clients.js';
import { backoffDelay, systemTimers, type BackoffPolicy, type Timers } from './work-queue.js';

/**
 * A list+watch cache of one resource that turns every add, update and delete into a work-queue key.
 *
 * client-node's ListWatch (what `makeInformer` builds) calls its handlers synchronously and stops for
 * good on any error other than 410 Gone. So the handlers here only enqueue keys (never start async
 * work), and on an `error` event the informer is restarted after an exponential backoff; the restart
 * resumes the watch from the last resourceVersion it saw, and relists after a 410.
 */

/** Anything that takes keys: the work queue. */
export interface KeySink {
  add(key: string): void;
}

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The watch path, e.g. `/apis/ram-delegation.dev/v1alpha1/crossaccountdelegations`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  /** Maps a changed object to the keys to enqueue (default: the object's own `namespace/name`). */
  keysFor?: (object: T) => string[];
  /** Called (synchronously) after a deleted object's keys were enqueued; must only enqueue. */
  onDelete?: (object: T) => void;
  /**
   * When given, an update whose fingerprint equals the previous one is not enqueued (e.g. a status-only
   * change the operator made itself). Adds and deletes are always enqueued.
   */
  fingerprint?: (object: T) => string;
  sink: KeySink;
  labelSelector?: string;
  logger?: Logger;
  timers?: Timers;
  random?: () => number;
  /** Restart backoff after an error (default 1 s doubling to 30 s). */
  restartBackoff?: BackoffPolicy;
}

export class Informer<T extends KubernetesObject> {
  private readonly listWatch: ListWatch<T>;
  private readonly fingerprints = new Map<string, string>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private synced = false;
  private stopped = true;
  private consecutiveErrors = 0;
  private restartTimer: unknown;
  private restartCount = 0;
  private lastRestartAt = 0;

  constructor(private readonly options: InformerOptions<T>) {
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.backoff = options.restartBackoff ?? { baseMs: 1_000, maxMs: 30_000, jitter: 0.2 };
    const list = async (): Promise<KubernetesListObject<T>> => {
      const result = await options.list();
      this.consecutiveErrors = 0;
      return result;
    };
    this.listWatch = new ListWatch<T>(
      options.path,
      new Watch(options.kubeConfig),
      list,
      false,
      options.labelSelector,
    );
    this.listWatch.on('add', (object) => this.enqueue(object, 'add'));
    this.listWatch.on('update', (object) => this.enqueue(object, 'update'));
    this.listWatch.on('delete', (object) => this.enqueue(object, 'delete'));
    this.listWatch.on('error', (error) => this.onError(error));
  }

  /** Starts listing and watching. Resolves once the first list was attempted (see {@link hasSynced}). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listWatch.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer !== undefined) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.listWatch.stop();
  }

  /** True once the initial list has filled the cache; stays true across restarts. */
  hasSynced(): boolean {
    if (!this.synced && this.listWatch.latestResourceVersion() !== '') this.synced = true;
    return this.synced;
  }

  /** How many times the informer was restarted after an error. */
  get restarts(): number {
    return this.restartCount;
  }

  get(namespace: string, name: string): T | undefined {
    return this.listWatch.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.listWatch.list(namespace);
  }

  private enqueue(object: T, verb: 'add' | 'update' | 'delete'): void {
    const key = objectKey(object.metadata?.namespace, object.metadata?.name ?? '');
    const fingerprint = this.options.fingerprint;
    if (fingerprint) {
      const next = fingerprint(object);
      const previous = this.fingerprints.get(key);
      if (verb === 'delete') this.fingerprints.delete(key);
      else this.fingerprints.set(key, next);
      if (verb === 'update' && previous === next) return;
    }
    const keys = this.options.keysFor ? this.options.keysFor(object) : [key];
    for (const each of keys) this.options.sink.add(each);
    if (verb === 'delete') this.options.onDelete?.(object);
  }

  private onError(error: unknown): void {
    if (this.stopped) return;
    // A watch that ran fine for a while before failing starts the backoff over.
    if (this.timers.now() - this.lastRestartAt > 2 * this.backoff.maxMs) this.consecutiveErrors = 0;
    this.consecutiveErrors++;
    const delay = backoffDelay(this.consecutiveErrors, this.backoff, this.random);
    this.options.logger?.warn(
      { err: error, path: this.options.path, retryInMs: delay },
      'informer stopped on error; restarting',
    );
    if (this.restartTimer !== undefined) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = this.timers.setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.restartCount++;
      this.lastRestartAt = this.timers.now();
      this.listWatch.start().catch((restartError: unknown) => this.onError(restartError));
    }, delay);
  }
}
