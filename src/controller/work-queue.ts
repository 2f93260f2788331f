import { DelayedKeys } from './delayed-keys.js';
import { backoffDelay, systemTimers, type BackoffPolicy, type Timers } from './timing.js';

/**
 * A keyed work queue in the style of controller-runtime / client-go's rate-limited workqueue, with two
 * lanes: urgent keys (a revocation: a deletion, a suspend, an expiry) are handed to the next free
 * worker before any routine key (a resync, a drift check, a spec change). When every worker is busy,
 * one urgent key more may run (the revocation slot), so a revocation never waits for a routine pass to
 * finish; routine keys never take that slot.
 *
 * Semantics:
 * - A key is queued at most once (de-duplicated); adding a queued key is a no-op, except that adding
 *   it as urgent moves it to the urgent lane.
 * - A key is processed by at most one worker at a time. A key added while it is being processed is
 *   remembered ("dirty") and processed again once the current pass finishes, so no change is lost.
 *   Added as urgent, it also raises the pass in progress to urgent (its {@link PassLane}), so the
 *   revocation waiting for that pass does not wait for routine work too.
 * - The handler's outcome decides what happens next: resolving plainly resets the key's failure count;
 *   resolving `{ requeueAfterMs }` resets it and schedules another (routine) pass; throwing requeues
 *   the key with per-key exponential backoff and jitter (base 1 s, cap 5 min), or after the error's own
 *   retry-after when the service asked for longer, in the lane the failed pass came from.
 * - Keys are strings (`namespace/name`): the handler re-reads the object, never a stale event payload.
 * - Throwing means "retry". A terminal failure (the delegation goes Stalled until its spec changes)
 *   should resolve instead, so it is not hot-retried; the next watch event brings the key back.
 */

/** Which lane a key waits in. */
export type Priority = 'urgent' | 'routine';

/** The lane of a pass in progress, as its handler sees it: urgent from the moment its key is added as urgent. */
export interface PassLane {
  readonly priority: Priority;
}

/** What a pass asks the queue to do next. `void`: done until something changes. */
/** What a pass asks for next: nothing, or another pass after a delay (in the routine lane unless urgent). */
export type WorkOutcome = void | { requeueAfterMs: number; priority?: Priority };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 };

interface WorkQueueHooks {
  /** The number of keys waiting (not counting keys being processed or waiting on a timer). */
  onDepthChange?(depth: number): void;
  /** A failed key was scheduled for another attempt after `delayMs`. */
  onRetry?(key: string, attempt: number, delayMs: number): void;
  /** The handler threw; the queue has already scheduled the retry. */
  onError?(key: string, error: unknown, attempt: number): void;
}

export interface WorkQueueOptions {
  /** How many keys are processed concurrently (plus the revocation slot, for an urgent key). */
  workers: number;
  handler: (key: string, lane: PassLane) => Promise<WorkOutcome>;
  timers?: Timers;
  /** A number in [0, 1); injected so backoff jitter is repeatable in tests. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** The minimum delay an error asks for (e.g. a CloudError's `x-acs-retry-after`). */
  retryAfterOf?: (error: unknown) => number | undefined;
  hooks?: WorkQueueHooks;
}

/** Urgent keys that may run beyond `workers` when every worker is busy. */
const REVOCATION_SLOTS = 1;

const higher = (a: Priority | undefined, b: Priority): Priority => (a === 'urgent' ? a : b);

export class WorkQueue {
  private readonly lanes: Record<Priority, string[]> = { urgent: [], routine: [] };
  /** Keys waiting to be processed, and their lane: those in a lane plus those re-added while processing. */
  private readonly waiting = new Map<string, Priority>();
  /** Keys being processed, and the lane each is in (the one it came from, or urgent since). */
  private readonly processing = new Map<string, { priority: Priority }>();
  /** Keys waiting on a requeue-after or backoff timer, and the lane each will join. */
  private readonly delayed: DelayedKeys<Priority>;
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
    this.delayed = new DelayedKeys(this.timers, (key, priority) => this.add(key, priority));
  }

  /** Begins handing keys to workers. Keys added before this wait in the queue. */
  start(): void {
    if (this.shuttingDown) throw new Error('work queue is shut down');
    this.started = true;
    this.dispatch();
  }

  /** Queues `key` now, in the given lane (default routine). Ignored after shutdown. */
  add(key: string, priority: Priority = 'routine'): void {
    if (this.shuttingDown) return;
    const current = this.waiting.get(key);
    if (current === 'urgent' || current === priority) return;
    this.waiting.set(key, priority);
    const active = this.processing.get(key);
    if (active) {
      if (priority === 'urgent') active.priority = 'urgent';
      return;
    }
    if (current === 'routine') this.remove(this.lanes.routine, key);
    this.lanes[priority].push(key);
    this.depthChanged();
    this.dispatch();
  }

  /**
   * Queues `key` after `ms`. When the key already waits on a timer, the earlier deadline wins
   * (a later request cannot postpone an earlier one) and the higher priority is kept.
   */
  addAfter(key: string, ms: number, priority: Priority = 'routine'): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key, priority);
      return;
    }
    const at = this.timers.now() + ms;
    const existing = this.delayed.get(key);
    const lane = higher(existing?.payload, priority);
    this.delayed.set(key, existing && existing.at <= at ? existing.at : at, lane);
  }

  /** Queues `key` after its next backoff delay and counts the failure. Returns the delay. */
  addRateLimited(key: string, minDelayMs = 0, priority: Priority = 'routine'): number {
    const attempt = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempt);
    const delay = Math.max(minDelayMs, backoffDelay(attempt, this.backoff, this.random));
    this.options.hooks?.onRetry?.(key, attempt, delay);
    this.addAfter(key, delay, priority);
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

  /** Keys waiting for a worker, in both lanes. */
  get depth(): number {
    return this.lanes.urgent.length + this.lanes.routine.length;
  }

  /** Keys currently being processed. */
  get active(): number {
    return this.processing.size;
  }

  /** Whether `key` has a pass coming: queued, being processed, or waiting on a timer. */
  isScheduled(key: string): boolean {
    return this.waiting.has(key) || this.processing.has(key) || this.delayed.has(key);
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
    this.delayed.clear();
    this.lanes.urgent.length = 0;
    this.lanes.routine.length = 0;
    this.waiting.clear();
    this.depthChanged();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(): void {
    if (!this.started) return;
    for (;;) {
      const priority: Priority = this.lanes.urgent.length > 0 ? 'urgent' : 'routine';
      const slots = this.options.workers + (priority === 'urgent' ? REVOCATION_SLOTS : 0);
      if (this.shuttingDown || this.processing.size >= slots || this.depth === 0) return;
      const key = this.lanes[priority].shift() as string;
      this.waiting.delete(key);
      const lane = { priority };
      this.processing.set(key, lane);
      this.depthChanged();
      const pass = this.process(key, lane);
      this.inFlight.add(pass);
      void pass.finally(() => this.inFlight.delete(pass));
    }
  }

  private async process(key: string, lane: PassLane): Promise<void> {
    try {
      const outcome = await this.options.handler(key, lane);
      if (this.shuttingDown) return;
      this.forget(key);
      if (outcome && outcome.requeueAfterMs >= 0)
        this.addAfter(key, outcome.requeueAfterMs, outcome.priority ?? 'routine');
    } catch (error) {
      if (this.shuttingDown) return;
      const minDelay = this.options.retryAfterOf?.(error) ?? 0;
      this.addRateLimited(key, minDelay, lane.priority);
      this.options.hooks?.onError?.(key, error, this.numRequeues(key));
    } finally {
      this.processing.delete(key);
      const again = this.waiting.get(key);
      if (!this.shuttingDown && again) {
        this.lanes[again].push(key);
        this.depthChanged();
      }
      this.dispatch();
    }
  }

  private remove(lane: string[], key: string): void {
    const index = lane.indexOf(key);
    if (index >= 0) lane.splice(index, 1);
  }

  private depthChanged(): void {
    this.options.hooks?.onDepthChange?.(this.depth);
  }
}
