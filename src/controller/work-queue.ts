/**
 * A keyed work queue in the style of controller-runtime / client-go's rate-limited workqueue.
 *
 * Semantics:
 * - A key is queued at most once (de-duplicated); adding a queued key is a no-op.
 * - A key is processed by at most one worker at a time. A key added while it is being processed is
 *   remembered ("dirty") and processed again once the current pass finishes, so no change is lost.
 * - The handler's outcome decides what happens next: resolving plainly resets the key's failure count;
 *   resolving `{ requeueAfterMs }` resets it and schedules another pass (resync, polling); throwing
 *   requeues the key with per-key exponential backoff and jitter (base 1 s, cap 5 min), or after the
 *   error's own retry-after when the service asked for longer.
 * - Keys are strings (`namespace/name`): the handler re-reads the object, never a stale event payload.
 * - Throwing means "retry". A terminal failure (the delegation goes Stalled until its spec changes)
 *   should resolve instead, so it is not hot-retried; the next watch event brings the key back.
 */

/** Timer functions, injected so tests drive time by hand. */
export interface Timers {
  /** Milliseconds, monotonic enough for delays. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What a pass asks the queue to do next. `void`: done until something changes. */
export type WorkOutcome = void | { requeueAfterMs: number };

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay removed at random (0.2: the delay lands in [80%, 100%]). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 };

export interface WorkQueueHooks {
  /** The number of keys waiting (not counting keys being processed or waiting on a timer). */
  onDepthChange?(depth: number): void;
  /** A failed key was scheduled for another attempt after `delayMs`. */
  onRetry?(key: string, attempt: number, delayMs: number): void;
  /** The handler threw; the queue has already scheduled the retry. */
  onError?(key: string, error: unknown, attempt: number): void;
}

export interface WorkQueueOptions {
  /** How many keys are processed concurrently. */
  workers: number;
  handler: (key: string) => Promise<WorkOutcome>;
  timers?: Timers;
  /** A number in [0, 1); injected so backoff jitter is repeatable in tests. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** The minimum delay an error asks for (e.g. a CloudError's `x-acs-retry-after`). */
  retryAfterOf?: (error: unknown) => number | undefined;
  hooks?: WorkQueueHooks;
}

/** The exponential delay for the `attempt`-th consecutive failure (1-based), with jitter. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - policy.jitter * random()));
}

/** `baseMs` spread by ±`fraction` (0.1: within 10% either way), e.g. a resync period. */
export function jittered(baseMs: number, fraction: number, random: () => number): number {
  return Math.round(baseMs * (1 + fraction * (2 * random() - 1)));
}

export class WorkQueue {
  private readonly queue: string[] = [];
  /** Keys waiting to be processed: those in `queue` plus those re-added while processing. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private readonly failures = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private started = false;
  private shuttingDown = false;

  constructor(private readonly options: WorkQueueOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new Error('workers must be a positive integer');
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Begins handing keys to workers. Keys added before this wait in the queue. */
  start(): void {
    if (this.shuttingDown) throw new Error('work queue is shut down');
    this.started = true;
    this.dispatch();
  }

  /** Queues `key` now. Ignored after shutdown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.depthChanged();
    this.dispatch();
  }

  /**
   * Queues `key` after `ms`. When the key already waits on a timer, the earlier deadline wins
   * (a later request cannot postpone an earlier one).
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.timers.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.timers.clearTimeout(existing.handle);
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Queues `key` after its next backoff delay and counts the failure. Returns the delay. */
  addRateLimited(key: string, minDelayMs = 0): number {
    const attempt = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempt);
    const delay = Math.max(minDelayMs, backoffDelay(attempt, this.backoff, this.random));
    this.options.hooks?.onRetry?.(key, attempt, delay);
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the key's failure count (its next failure starts the backoff from the base again). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Consecutive failures of `key` since its last success. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys waiting for a worker. */
  get depth(): number {
    return this.queue.length;
  }

  /** Keys currently being processed. */
  get active(): number {
    return this.processing.size;
  }

  /** Whether `key` waits on a requeue-after or backoff timer. */
  isDelayed(key: string): boolean {
    return this.delayed.has(key);
  }

  /**
   * Stops taking work: pending timers are cancelled, queued keys are dropped, adds are ignored.
   * Resolves once every pass already in flight has finished.
   */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const { handle } of this.delayed.values()) this.timers.clearTimeout(handle);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    this.depthChanged();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(): void {
    if (!this.started) return;
    while (!this.shuttingDown && this.processing.size < this.options.workers && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.dirty.delete(key);
      this.processing.add(key);
      this.depthChanged();
      const pass = this.process(key);
      this.inFlight.add(pass);
      void pass.finally(() => this.inFlight.delete(pass));
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const outcome = await this.options.handler(key);
      if (this.shuttingDown) return;
      this.forget(key);
      if (outcome && outcome.requeueAfterMs >= 0) this.addAfter(key, outcome.requeueAfterMs);
    } catch (error) {
      if (this.shuttingDown) return;
      const minDelay = this.options.retryAfterOf?.(error) ?? 0;
      this.addRateLimited(key, minDelay);
      this.options.hooks?.onError?.(key, error, this.numRequeues(key));
    } finally {
      this.processing.delete(key);
      if (!this.shuttingDown && this.dirty.has(key)) {
        this.queue.push(key);
        this.depthChanged();
      }
      this.dispatch();
    }
  }

  private depthChanged(): void {
    this.options.hooks?.onDepthChange?.(this.queue.length);
  }
}
