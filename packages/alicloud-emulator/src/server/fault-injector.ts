import type { ApiError } from '../contract.js';
import { NO_FAULTS, type FaultSettings } from './fault-settings.js';
import { wireErrors } from './wire-errors.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** Bound on per-account buckets kept; past it idle buckets (full anyway) are forgotten. */
const MAX_BUCKETS = 100_000;

/**
 * Decides, per authenticated call, whether a fault answers it instead of the service. Randomness comes
 * from the injected `random` (seed it in tests); time from the caller's clock readings.
 */
export class FaultInjector {
  private current: FaultSettings = { ...NO_FAULTS };
  private buckets = new Map<string, Bucket>();

  constructor(private readonly random: () => number) {}

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  set settings(next: FaultSettings) {
    if (next.qpsPerAccount !== this.current.qpsPerAccount) this.buckets.clear();
    this.current = { ...next };
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
    this.buckets.clear();
  }

  /** The fault that answers this call, if any: per-account QPS first, then random throttling, then 5xx. */
  decide(accountId: string, nowMs: number): ApiError | undefined {
    const { qpsPerAccount, throttleRate, errorRate } = this.current;
    if (qpsPerAccount > 0) {
      const waitMs = this.takeToken(accountId, nowMs, qpsPerAccount);
      if (waitMs > 0) return wireErrors.throttled(waitMs);
    }
    if (throttleRate > 0 && this.random() < throttleRate)
      return wireErrors.throttled(this.current.throttleRetryAfterMs);
    if (errorRate > 0 && this.random() < errorRate) {
      return this.random() < 0.5 ? wireErrors.internalError() : wireErrors.serviceUnavailable();
    }
    return undefined;
  }

  /** Takes one token; returns 0 on success, else the milliseconds until a token is free. */
  private takeToken(accountId: string, nowMs: number, qps: number): number {
    const capacity = Math.max(1, qps);
    let bucket = this.buckets.get(accountId);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
      bucket = { tokens: capacity, refilledAt: nowMs };
      this.buckets.set(accountId, bucket);
    } else {
      const elapsed = Math.max(0, nowMs - bucket.refilledAt);
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * qps) / 1000);
      bucket.refilledAt = nowMs;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 1000) / qps));
  }
}

/** A small deterministic generator (mulberry32) for seeded fault decisions in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
