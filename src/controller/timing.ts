/**
 * Time as the controller's loops see it: injectable timers (tests drive them by hand), exponential
 * backoff with jitter, and spreading a period so many timers do not fire together.
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

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay removed at random (0.2: the delay lands in [80%, 100%]). */
  jitter: number;
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
