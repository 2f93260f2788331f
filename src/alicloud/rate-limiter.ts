/**
 * Client-side rate limiting per Alibaba Cloud account: every RAM/STS call first takes a token from its
 * account's bucket. RAM enforces API rate limits per account (and throttles with `Throttling.User`), so
 * all delegations acting in one account share one bucket, whichever CR they come from.
 *
 * Callers wait for a token; nothing is ever dropped. Waiters are served in arrival order: each call
 * reserves the next token (the balance may go negative, a debt paid back by refill) and sleeps until its
 * token is due.
 */

/** Takes one token, waiting as long as necessary. */
export interface RateLimiter {
  acquire(): Promise<void>;
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

export class TokenBucket implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private updatedAt: number;

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

  async acquire(): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.qps) / 1000);
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep((-this.tokens * 1000) / this.qps);
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
