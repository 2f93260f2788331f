import { PHASES, type Phase, type PlannedAction } from './action.js';
import type { Change } from './change.js';
import { mapLimited } from './map-limited.js';

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
 * Performs one action. `record` reports a write the action had to make besides its own (a policy someone
 * attached to the role while it was being deleted, detached again), so the changes stay complete.
 */
export type ExecuteAction<Op> = (
  action: PlannedAction<Op>,
  record: (change: Change) => void,
) => Promise<void>;

export interface RunOptions {
  /** How many actions of one phase run at once; a function decides per phase (`count` actions in it). */
  concurrency: number | ((phase: Phase, count: number) => number);
  /** Told when every action of a phase has succeeded (also for a phase without actions). */
  afterPhase?: (phase: Phase) => void;
}

/**
 * The one runner of both sides: runs a plan phase by phase (see `PHASES`), with bounded concurrency
 * inside a phase. The first failure stops new work, waits for what is in flight and throws an
 * {@link ApplyError}. Returns the changes made, in the order they completed.
 */
export async function runPhased<Op>(
  actions: readonly PlannedAction<Op>[],
  execute: ExecuteAction<Op>,
  options: RunOptions,
): Promise<Change[]> {
  const done: Change[] = [];
  const record = (change: Change): void => void done.push(change);
  for (const phase of PHASES) {
    const batch = actions.filter((a) => a.phase === phase);
    const limit =
      typeof options.concurrency === 'number'
        ? options.concurrency
        : options.concurrency(phase, batch.length);
    let failed: PlannedAction<Op> | undefined;
    try {
      await mapLimited(batch, limit, async (action) => {
        try {
          await execute(action, record);
        } catch (error) {
          failed ??= action;
          throw error;
        }
        done.push(action.change);
      });
    } catch (cause) {
      if (!failed) throw cause;
      throw new ApplyError(cause, [...done], failed.change);
    }
    options.afterPhase?.(phase);
  }
  return done;
}
