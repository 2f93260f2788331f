/**
 * Client-side rate limiting per Alibaba Cloud account: every RAM/STS call first takes a token from its
 * account's bucket. RAM enforces API rate limits per account (and throttles with `Throttling.User`), so
 * all delegations acting in one account share one bucket, whichever CR they come from.
 *
 * Callers wait for a token; nothing is ever dropped. Urgent waiters (calls made by a revocation, see
 * `call-priority.ts`) take the next token before any routine one, so a revocation never queues behind
 * the resyncs of the same account; otherwise waiters are served in arrival order. A waiter's priority
 * is read again whenever a token is handed out, so a call whose pass turned urgent while it waited goes
 * next. Routine calls wait as long as urgent ones keep coming, which revocations never do for long.
 */
import { ROUTINE, type PriorityOf } from './call-priority.js';

/** Takes one token, waiting as long as necessary; urgent waiters are served first. */
export interface RateLimiter {
  acquire(priority?: PriorityOf): Promise<void>;
}

export interface TokenBucketOptions {
  /** Sustained calls per second. */
  qps: number;
  /** Calls that may go out back to back after a quiet period (the bucket's size). */
  burst: number;
  /** Milliseconds on a monotonic clock; injected in tests. */
  now?: () => number;
  /** Waits `ms` milliseconds; injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Well under RAM's documented per-account limits, which are in the order of tens of calls per second per API. */
const DEFAULT_RATE_LIMIT = { qps: 20, burst: 10 } as const;

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function monotonicNow(): number {
  return performance.now();
}

/** Rounding slack: a token that refilled to 0.9999999 after a timer of exactly the right length is due. */
const DUE = 1 - 1e-9;

export class TokenBucket implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private updatedAt: number;
  /** In arrival order. Only the few calls of in-flight passes wait here, so a scan per token is cheap. */
  private readonly waiting: { priority: PriorityOf; resolve: () => void }[] = [];
  /** Whether a wake-up for the next token is pending (one at a time serves every waiter in turn). */
  private wakeScheduled = false;

  constructor(options: TokenBucketOptions) {
    if (!(options.qps > 0) || !Number.isFinite(options.qps))
      throw new RangeError(`qps must be a positive number, got ${options.qps}`);
    if (!(options.burst >= 1) || !Number.isFinite(options.burst))
      throw new RangeError(`burst must be at least 1, got ${options.burst}`);
    this.qps = options.qps;
    this.burst = options.burst;
    this.now = options.now ?? monotonicNow;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = options.burst;
    this.updatedAt = this.now();
  }

  acquire(priority: PriorityOf = ROUTINE): Promise<void> {
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= DUE) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ priority, resolve });
      this.serve();
    });
  }

  /** Hands out every token that is due, urgent waiters first, and schedules a wake-up for the rest. */
  private serve(): void {
    this.refill();
    while (this.tokens >= DUE && this.waiting.length > 0) {
      const urgent = this.waiting.findIndex((waiter) => waiter.priority() === 'urgent');
      const [next] = this.waiting.splice(Math.max(0, urgent), 1);
      this.tokens -= 1;
      next!.resolve();
    }
    if (this.wakeScheduled || this.waiting.length === 0) return;
    this.wakeScheduled = true;
    void this.sleep(((1 - this.tokens) * 1000) / this.qps).then(() => {
      this.wakeScheduled = false;
      this.serve();
    });
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.qps) / 1000);
    this.updatedAt = now;
  }
}

/** A limiter that never waits: for tools and tests that must not be slowed down. */
export const UNLIMITED: RateLimiter = { acquire: () => Promise.resolve() };

/** One bucket per account id, created on first use with the same settings. */
export class AccountRateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: TokenBucketOptions = DEFAULT_RATE_LIMIT) {}

  forAccount(accountId: string): RateLimiter {
    let bucket = this.buckets.get(accountId);
    if (!bucket) {
      bucket = new TokenBucket(this.options);
      this.buckets.set(accountId, bucket);
    }
    return bucket;
  }
}
