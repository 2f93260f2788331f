/**
 * Applies the fault settings to requests: latency before every API request, then for non-watch
 * requests a 429 (throttleRate) or a 500/503 (errorRate), each decided by an independent draw of the
 * injected random source. Watch drops are scheduled by the watch streams, which subscribe here to learn
 * when the settings change. Discovery and OpenAPI requests are API requests like any other (an overloaded
 * real server fails them too); health probes and `/_kube/faults` itself are never faulted.
 */
import { ApiError } from '../errors.js';
import { NO_FAULTS, updateFaultSettings, type FaultSettings } from './fault-settings.js';

/** Retry-After, in seconds, of an injected 429 (what API Priority and Fairness sends). */
const THROTTLE_RETRY_AFTER_SECONDS = 1;

/** A deterministic random source in [0, 1) for tests (mulberry32). */
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

export class FaultInjector {
  private current: FaultSettings = { ...NO_FAULTS };
  private readonly listeners = new Set<(settings: FaultSettings) => void>();

  constructor(private readonly random: () => number = Math.random) {}

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  /** Applies a (partial) update, validated; listeners hear about the new settings. */
  update(update: unknown): FaultSettings {
    this.current = updateFaultSettings(this.current, update);
    for (const listener of this.listeners) listener(this.current);
    return { ...this.current };
  }

  onChange(listener: (settings: FaultSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits latencyMs (resolves at once when off). */
  async delay(): Promise<void> {
    const ms = this.current.latencyMs;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** The error a non-watch request is answered with instead, if the dice say so. */
  failure(): ApiError | undefined {
    const { throttleRate, errorRate } = this.current;
    if (throttleRate > 0 && this.random() < throttleRate) {
      return new ApiError(
        429,
        'TooManyRequests',
        'Too many requests, please try again later.',
        { retryAfterSeconds: THROTTLE_RETRY_AFTER_SECONDS },
        { 'Retry-After': String(THROTTLE_RETRY_AFTER_SECONDS) },
      );
    }
    if (errorRate > 0 && this.random() < errorRate) {
      return this.random() < 0.5
        ? new ApiError(500, 'InternalError', 'Internal error occurred: injected fault', {
            causes: [{ message: 'injected fault' }],
          })
        : new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    }
    return undefined;
  }
}
