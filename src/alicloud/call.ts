/**
 * The one path every SDK call takes: the account's rate limiter (in the lane of the pass's priority,
 * `call-priority.ts`), the observer (before and after, with the action and whether it writes), error
 * mapping to {@link CloudError}, and a few in-place retries: throttled calls after the delay the service
 * asked for (`x-acs-retry-after`), and reads that failed transiently (5xx, network) after a short
 * exponential delay, since a read is always safe to repeat. A write that failed transiently may or may
 * not have taken effect: it is left to the controller, whose next level-based pass reads the truth first.
 */
import { currentCallPriority } from './call-priority.js';
import type { CallKind, CallObserver } from './ports.js';
import { CloudError } from './errors.js';
import { realSleep, type RateLimiter } from './rate-limiter.js';
import { toCloudError } from './sdk-errors.js';

export interface ThrottleRetryPolicy {
  /** Retries after the first throttled attempt (0 disables). */
  maxRetries: number;
  /** Delay when the service sent no `x-acs-retry-after`. */
  defaultDelayMs: number;
  /** A longer requested delay is not waited out here: the error goes to the controller at once. */
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE_RETRY: ThrottleRetryPolicy = {
  maxRetries: 3,
  defaultDelayMs: 1000,
  maxDelayMs: 10_000,
};

/** What a port needs to make calls in one account. */
export interface CallContext {
  accountId: string;
  limiter: RateLimiter;
  observer?: CallObserver;
  throttleRetry?: ThrottleRetryPolicy;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for `durationMs`; injected in tests. */
  now?: () => number;
  /**
   * Once aborted, no new call starts (nor a retry): the call rejects with the signal's reason. The
   * operator aborts it the moment it loses leadership, so a deposed leader stops writing before another
   * replica can take over. A request already sent is not cut off.
   */
  signal?: AbortSignal;
}

/**
 * Runs one API call. `invoke` must perform exactly one request (it is re-invoked on a throttling retry).
 * Errors thrown by the observer propagate untouched: they simulate crashes.
 */
export async function callCloud<T>(
  ctx: CallContext,
  action: string,
  kind: CallKind,
  invoke: () => Promise<T>,
): Promise<T> {
  const policy = ctx.throttleRetry ?? DEFAULT_THROTTLE_RETRY;
  const sleep = ctx.sleep ?? realSleep;
  const now = ctx.now ?? (() => performance.now());
  for (let attempt = 0; ; attempt++) {
    ctx.signal?.throwIfAborted();
    await ctx.limiter.acquire(currentCallPriority());
    ctx.signal?.throwIfAborted();
    ctx.observer?.beforeCall?.({ accountId: ctx.accountId, action, kind });
    const startedAt = now();
    let result: T;
    try {
      result = await invoke();
    } catch (raw) {
      const error = toCloudError(raw, action);
      ctx.observer?.afterCall?.({
        accountId: ctx.accountId,
        action,
        kind,
        durationMs: now() - startedAt,
        errorCode: error.code,
      });
      const delay = throttleDelay(error, attempt, policy) ?? transientReadDelay(error, kind, attempt, policy);
      if (delay === undefined) throw error;
      await sleep(delay);
      continue;
    }
    ctx.observer?.afterCall?.({ accountId: ctx.accountId, action, kind, durationMs: now() - startedAt });
    return result;
  }
}

/** Base delay of in-place retries of transiently failed reads (doubling per attempt). */
const TRANSIENT_READ_DELAY_MS = 100;

/** How long to wait before repeating a transiently failed read, or undefined. */
function transientReadDelay(
  error: CloudError,
  kind: CallKind,
  attempt: number,
  policy: ThrottleRetryPolicy,
): number | undefined {
  if (error.kind !== 'Transient' || kind !== 'read' || attempt >= policy.maxRetries) return undefined;
  return TRANSIENT_READ_DELAY_MS * 2 ** attempt;
}

/** How long to wait before retrying, or undefined to give up and throw. */
function throttleDelay(error: CloudError, attempt: number, policy: ThrottleRetryPolicy): number | undefined {
  if (error.kind !== 'Throttled' || attempt >= policy.maxRetries) return undefined;
  const delay = error.details.retryAfterMs ?? policy.defaultDelayMs;
  return delay <= policy.maxDelayMs ? delay : undefined;
}
