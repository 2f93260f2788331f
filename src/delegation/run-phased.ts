import type { Change, PlannedAction } from './change.js';

/** Thrown when an action fails: carries what did get done first, so Events and metrics stay truthful. */
export class ApplyError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly done: Change[],
    readonly failed: Change,
  ) {
    super(`${failed.description}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ApplyError';
  }
}

/**
 * Runs actions phase by phase; inside a phase at most `concurrency` run at once. The first failure stops
 * new work, waits for what is in flight and throws an {@link ApplyError}. Order inside a phase is not
 * guaranteed, so planners must put dependent writes in later phases.
 */
export async function runPhased<A extends PlannedAction>(
  actions: readonly A[],
  execute: (action: A) => Promise<void>,
  options: { concurrency: number },
): Promise<Change[]> {
  const done: Change[] = [];
  const phases = [...new Set(actions.map((a) => a.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    const queue = actions.filter((a) => a.phase === phase);
    let failure: { cause: unknown; action: A } | undefined;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined && failure === undefined; next = queue.shift()) {
        const action = next;
        try {
          await execute(action);
          done.push(action.change);
        } catch (cause) {
          failure ??= { cause, action };
        }
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure) throw new ApplyError(failure.cause, done, failure.action.change);
  }
  return done;
}
