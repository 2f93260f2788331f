/**
 * Which lane a cloud call takes at its account's rate limiter. A revocation (a deletion, a suspend, an
 * expiry) runs its pass with {@link withCallPriority}('urgent'), and every call that pass makes, however
 * deep and across awaits, takes the next token of its account ahead of the routine calls of resyncs and
 * drift checks waiting there (rate-limiter.ts). The priority travels in Node's async context, not in
 * the ports: ports are cached per identity and shared by every pass that uses it at the same moment.
 *
 * The storage is a context key, not state: it holds nothing outside a `withCallPriority` call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type CallPriority = 'urgent' | 'routine';

const passPriority = new AsyncLocalStorage<CallPriority>();

/** Runs `work` with every cloud call it makes taking `priority` at the rate limiter. */
export function withCallPriority<T>(priority: CallPriority, work: () => T): T {
  return passPriority.run(priority, work);
}

/** The priority of the calls made here and now: routine unless inside {@link withCallPriority}. */
export function currentCallPriority(): CallPriority {
  return passPriority.getStore() ?? 'routine';
}
