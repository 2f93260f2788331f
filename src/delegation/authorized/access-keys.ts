import type { AccessKeyInfo } from '../../alicloud/ports.js';
import { parseGoDuration } from '../../api/lifecycle-fields.js';
import { ROTATE_ACCESS_KEYS_ANNOTATION } from '../../api/names.js';
import type { AccessKeyRotation } from '../../api/spec.js';
import type { AuthorizedStep } from './actions.js';

/**
 * A Programmatic user's AccessKeys, as a state machine driven only by what RAM lists (each key's
 * CreateDate and Status) and what the user's Secret holds (its key, and the key that one replaced):
 * level-based, so a pass killed at any point is finished by the next one, never with a third key and
 * never losing the key in the Secret.
 *
 * - No Active stored key (first pass, a key lost before it was stored, a key disabled by hand): every
 *   key is deleted, then one is created. RAM allows two keys per user, so none is ever kept aside.
 * - The stored key, plus the key the Secret records as the one it replaced: that key is in its grace
 *   periods, which run from the stored key's creation: one grace period later it is deactivated
 *   (UpdateAccessKey Inactive), one more later deleted.
 * - The stored key, plus any other key: created and never stored (a crash between CreateAccessKey and
 *   the Secret write, which records the new key and the replaced one together), or made out of band.
 *   It is deleted.
 * - A rotation (a second key, created in `provision` and stored before anything else) is due when the
 *   stored key is older than `accessKeyRotation.after` and no replaced key is left, or at once when
 *   the rotate annotation carries a value the Secret's key does not answer (a replaced key still in
 *   its grace period is then deleted first: two keys at most).
 *
 * `wakeAt` is the next moment one of these timers falls due, so the caller can come back on the second.
 */

/** The grace period of a rotation the annotation asks for, on a user without `accessKeyRotation`. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;

export interface AccessKeyPlanInput {
  userName: string;
  /** The user's keys as RAM lists them (plus the stored one while a lagging listing misses it). */
  keys: readonly AccessKeyInfo[];
  /** The key id in the user's Secret. */
  storedId: string | undefined;
  /** The key the stored one replaced in a rotation, as the Secret records it. */
  replacedId: string | undefined;
  rotation: AccessKeyRotation | undefined;
  /** A rotation request (the annotation's value) that the stored key does not answer yet. */
  requested: boolean;
  now: Date;
}

export interface AccessKeyPlan {
  steps: AuthorizedStep[];
  /** When the next timed step falls due, if one is pending. */
  wakeAt?: Date;
}

/** A key's creation in epoch milliseconds; undefined when RAM gave no (readable) date. */
function createdAt(key: AccessKeyInfo): number | undefined {
  const ms = Date.parse(key.createDate);
  return Number.isNaN(ms) ? undefined : ms;
}

function durationMs(text: string | undefined, fallback: number): number {
  return (text === undefined ? undefined : parseGoDuration(text)) ?? fallback;
}

export function planAccessKeys(input: AccessKeyPlanInput): AccessKeyPlan {
  const { userName, keys, storedId, rotation } = input;
  const now = input.now.getTime();
  const remove = (key: AccessKeyInfo, why?: string, scheduled = false): AuthorizedStep => ({
    phase: 'prepare',
    op: { kind: 'deleteAccessKey', userName, accessKeyId: key.accessKeyId },
    ...(why ? { why } : {}),
    ...(scheduled ? { scheduled } : {}),
  });

  const current = keys.find((k) => k.accessKeyId === storedId && k.status === 'Active');
  if (!current) {
    const replace = keys.map((key) => remove(key));
    return { steps: [...replace, { phase: 'provision', op: { kind: 'createAccessKey', userName } }] };
  }

  // A stored key whose creation RAM did not show (a lagging listing): its clocks start now.
  const since = createdAt(current) ?? now;
  const graceMs = durationMs(rotation?.gracePeriod, DEFAULT_ROTATION_GRACE_MS);
  const afterMs = rotation ? durationMs(rotation.after, Number.POSITIVE_INFINITY) : undefined;
  const deactivateAt = since + graceMs;
  const deleteAt = since + 2 * graceMs;
  const graceOver = now >= deleteAt;
  const dueByAge = afterMs !== undefined && now >= since + afterMs;

  const steps: AuthorizedStep[] = [];
  const replaced: AccessKeyInfo[] = [];
  for (const key of keys) {
    if (key === current) continue;
    if (key.accessKeyId === input.replacedId) replaced.push(key);
    else steps.push(remove(key, 'never stored'));
  }

  const rotating = input.requested || (dueByAge && (replaced.length === 0 || graceOver));
  const wakes: number[] = [];
  for (const key of replaced) {
    if (graceOver) steps.push(remove(key, 'rotation: its grace periods are over', true));
    else if (rotating) steps.push(remove(key, 'rotation: a new rotation replaces it', true));
    else if (now >= deactivateAt) {
      if (key.status === 'Active') {
        steps.push({
          phase: 'prepare',
          op: { kind: 'deactivateAccessKey', userName, accessKeyId: key.accessKeyId },
          why: 'rotation: its grace period is over',
          scheduled: true,
        });
      }
      wakes.push(deleteAt);
    } else wakes.push(key.status === 'Active' ? deactivateAt : deleteAt);
  }

  if (rotating) {
    const why = input.requested
      ? `requested by ${ROTATE_ACCESS_KEYS_ANNOTATION}`
      : `the key is older than ${rotation?.after ?? ''}`;
    const op = { kind: 'rotateAccessKey' as const, userName, replaces: current.accessKeyId };
    steps.push({ phase: 'provision', op, why, scheduled: true });
  } else if (afterMs !== undefined && !dueByAge) {
    wakes.push(since + afterMs);
  }
  const next = wakes.filter((at) => Number.isFinite(at) && at > now);
  return next.length > 0 ? { steps, wakeAt: new Date(Math.min(...next)) } : { steps };
}

/**
 * The first timed step after a key was issued at `createDate` (planning saw the state before it): its
 * own rotation, and, when it replaced a key, that key's deactivation one grace period later.
 */
export function firstTimerAfterIssue(
  createDate: string,
  rotation: AccessKeyRotation | undefined,
  replacedOne: boolean,
): Date | undefined {
  const since = Date.parse(createDate);
  if (Number.isNaN(since)) return undefined;
  const timers: number[] = [];
  if (rotation) timers.push(since + durationMs(rotation.after, Number.POSITIVE_INFINITY));
  if (replacedOne) timers.push(since + durationMs(rotation?.gracePeriod, DEFAULT_ROTATION_GRACE_MS));
  const next = timers.filter(Number.isFinite);
  return next.length > 0 ? new Date(Math.min(...next)) : undefined;
}
