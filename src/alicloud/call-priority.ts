/**
 * Which lane a cloud call takes at its account's rate limiter. A revocation (a deletion, a suspend, an
 * expiry) runs its pass with {@link withCallPriority}, and every call that pass makes, however deep and
 * across awaits, takes the next token of its account ahead of the routine calls of resyncs and drift
 * checks waiting there (rate-limiter.ts). The priority travels in Node's async context, not in the
 * ports: ports are cached per identity and shared by every pass that uses it at the same moment.
 *
 * The priority is read when a call asks for a token and again while it waits: a routine pass whose
 * delegation is deleted meanwhile is raised to urgent (the work queue says so), so the revocation that
 * must wait for it to finish does not wait behind other routine calls as well.
 *
 * The storage is a context key, not state: it holds nothing outside a `withCallPriority` call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type CallPriority = 'urgent' | 'routine';

/** The priority of the calls of one pass, read at each use (it may rise while the pass runs). */
export type PriorityOf = () => CallPriority;

export const ROUTINE: PriorityOf = () => 'routine';

const passPriority = new AsyncLocalStorage<PriorityOf>();

/** Runs `work` with every cloud call it makes taking the lane `priority` gives at the rate limiter. */
export function withCallPriority<T>(priority: PriorityOf, work: () => T): T {
  return passPriority.run(priority, work);
}

/** The priority of the calls made here and now: routine unless inside {@link withCallPriority}. */
export function currentCallPriority(): PriorityOf {
  return passPriority.getStore() ?? ROUTINE;
}
