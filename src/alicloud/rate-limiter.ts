/**
 * Client-side rate limiting per Alibaba Cloud account: every RAM/STS call first takes a token from its
 * account's bucket. RAM enforces API rate limits per account (and throttles with `Throttling.User`), so
 * all delegations acting in one account share one bucket, whichever CR they come from.
 *
 * Callers wait for a token; nothing is ever dropped. Waiters are served in two lanes: every urgent
 * waiter (a call made by a revocation, see `call-priority.ts`) takes the next token before any routine
 * one, so a revocation never queues behind the resyncs of the same account; within a lane, in arrival
 * order. Routine calls wait as long as urgent ones keep coming, which revocations never do for long.
 */
import type { CallPriority } from './call-priority.js';

/** Takes one token, waiting as long as necessary; `urgent` waiters are served first. */
export interface RateLimiter {
  acquire(priority?: CallPriority): Promise<void>;
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
export const DEFAULT_RATE_LIMIT = { qps: 20, burst: 10 } as const;

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
  private readonly waiting: Record<CallPriority, (() => void)[]> = { urgent: [], routine: [] };
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

  acquire(priority: CallPriority = 'routine'): Promise<void> {
    this.refill();
    if (this.waiters() === 0 && this.tokens >= DUE) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting[priority].push(resolve);
      this.serve();
    });
  }

  /** Hands out every token that is due, urgent waiters first, and schedules a wake-up for the rest. */
  private serve(): void {
    this.refill();
    while (this.tokens >= DUE) {
      const next = this.waiting.urgent.shift() ?? this.waiting.routine.shift();
      if (!next) return;
      this.tokens -= 1;
      next();
    }
    if (this.wakeScheduled || this.waiters() === 0) return;
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

  private waiters(): number {
    return this.waiting.urgent.length + this.waiting.routine.length;
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
