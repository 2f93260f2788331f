import type { Blocked, Change, ChangeVerb, Side } from './change.js';

/**
 * The engine's one planning idiom, shared by both accounts: a planner turns desired and observed state
 * into {@link Step}s (an operation and its phase), {@link toActions} describes each as a {@link Change},
 * and `runPhased` executes them phase by phase. Revocation is the same: a plan against the empty
 * desired state.
 *
 * The phases, in order. Every action of a phase finishes before the next phase starts; inside a phase
 * actions run in any order, so a write that needs another one goes to a later phase.
 * - `prepare`: fixes on entities that already exist and must come first: adoption tags and markers,
 *   role updates, policies detached from the owner's role (its privileges shrink before anything grows),
 *   unstored or wrong-mode credentials, foreign group members, a freed policy-version slot.
 * - `create`: new entities (role, policies, users, group) and new default policy versions.
 * - `provision`: what hangs on the entities of `create`: attachments, credentials, memberships.
 * - `retire`: what goes once its replacement is in place (B's old grants: a switch never leaves users
 *   without access in between), and everything hanging on users and groups that are being removed.
 * - `delete`: removed users, groups and the role, once nothing hangs on them.
 * - `purge`: removed custom policies, last, detached from everything first.
 */
export const PHASES = ['prepare', 'create', 'provision', 'retire', 'delete', 'purge'] as const;
export type Phase = (typeof PHASES)[number];

/** An operation to make and the phase it belongs to. `why`, when set, ends the Change's description. */
export interface Step<Op> {
  phase: Phase;
  op: Op;
  why?: string;
  /** Due by the clock the spec set (expiry, rotation): never drift (see `Change.scheduled`). */
  scheduled?: boolean;
}

/** A write waiting to run: the envelope both sides share. `op` is plain data (tests compare plans with `toEqual`). */
export interface PlannedAction<Op> {
  phase: Phase;
  op: Op;
  change: Change;
}

/**
 * The outcome of planning one side: the writes to make, or the reason none may be made. `wakeAt`: the
 * next moment a timed step falls due (a rotation, the end of a grace period), when one is pending.
 */
export type Plan<Op> =
  { actions: PlannedAction<Op>[]; blocked?: undefined; wakeAt?: Date } | { actions: []; blocked: Blocked };

/** How an operation appears as a Change. */
export interface OpDescription {
  verb: ChangeVerb;
  entity: string;
  description: string;
}

/**
 * One action per distinct write (the same detach can come from a grant and from a removed user's
 * teardown; the earliest phase wins), ordered by phase, then as planned. Every change is marked
 * `drift`, except adoptions (verb `Tagged`): taking an entity over is not a repair, and scheduled steps.
 */
export function toActions<Op>(
  steps: readonly Step<Op>[],
  describe: (op: Op) => OpDescription,
  options: { side: Side; drift: boolean },
): PlannedAction<Op>[] {
  const byWrite = new Map<string, PlannedAction<Op>>();
  for (const step of steps) {
    const { verb, entity, description } = describe(step.op);
    const key = `${verb} ${entity}`;
    const seen = byWrite.get(key);
    if (seen && PHASES.indexOf(seen.phase) <= PHASES.indexOf(step.phase)) continue;
    const change: Change = {
      side: options.side,
      verb,
      entity,
      drift: options.drift && verb !== 'Tagged' && !step.scheduled,
      ...(step.scheduled ? { scheduled: true } : {}),
      description: step.why ? `${description} (${step.why})` : description,
    };
    byWrite.set(key, { phase: step.phase, op: step.op, change });
  }
  return [...byWrite.values()].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
}
