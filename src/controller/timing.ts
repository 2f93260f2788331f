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

/** A stable 32-bit hash of a string: FNV-1a, then MurmurHash3's finalizer so similar names spread too. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The delay until `key`'s next resync. Each key resyncs at its own phase within the period (from a hash
 * of the key), so resyncs stay spread evenly over the period however the passes before them bunched
 * up (a restart enqueues every delegation at once; a bulk apply creates thousands in a minute): RAM and
 * the operator's memory see a steady rate, not a wave every period. The phase chosen is at least
 * `minGapFraction` of a period away, so the delay is in [minGap, 1 + minGap) periods, and a key that
 * passes at its phase waits exactly one period.
 */
export function phasedResyncDelay(
  key: string,
  periodMs: number,
  nowMs: number,
  minGapFraction: number,
): number {
  const phase = (hash32(key) / 2 ** 32) * periodMs;
  const untilPhase = (((phase - nowMs) % periodMs) + periodMs) % periodMs;
  return Math.round(untilPhase < minGapFraction * periodMs ? untilPhase + periodMs : untilPhase);
}

/**
 * When to look again at something failing whose fix no watch reports: `floorMs` after the first failure,
 * then as long again as it has been failing (so the gaps double), never later than `capMs` (the next
 * resync). A failure that lasts makes a handful of attempts per resync period, not one every few seconds.
 */
export function recheckDelay(
  failingSince: Date | undefined,
  now: Date,
  floorMs: number,
  capMs: number,
): number {
  const failingFor = failingSince ? now.getTime() - failingSince.getTime() : 0;
  return Math.min(capMs, Math.max(floorMs, failingFor));
}

/** `baseMs` spread by ±`fraction` (0.1: within 10% either way), e.g. a resync period. */
export function jittered(baseMs: number, fraction: number, random: () => number): number {
  return Math.round(baseMs * (1 + fraction * (2 * random() - 1)));
}
