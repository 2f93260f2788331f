import { ConditionType } from '../api/constants.js';
import type { Condition } from '../api/status.js';

/**
 * Pure helpers for metav1.Conditions, with kstatus polarity: Ready, OwnerSynced, AuthorizedSynced and
 * AccessVerified are always present once reconciled; Reconciling and Stalled ("abnormal-true") exist
 * only while True and are removed instead of being set to False or Unknown.
 *
 * `lastTransitionTime` changes only when a condition's status changes; a new reason, message or
 * observedGeneration with the same status keeps the old time (what `kubectl wait` and kstatus expect).
 */

/** A condition as the reconciler states it; the time is filled in here. */
export interface ConditionInput {
  type: string;
  status: Condition['status'];
  reason: string;
  message?: string;
  observedGeneration?: number;
}

/** Condition types that exist only while True. */
const ABNORMAL_TRUE_TYPES: ReadonlySet<string> = new Set([ConditionType.Reconciling, ConditionType.Stalled]);

/** metav1.Time: RFC 3339 in UTC with whole seconds, as the API server stores it. */
export function conditionTime(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Returns `conditions` with `input` applied (the input array is not modified). An existing condition
 * keeps its position; a new one is appended. An abnormal-true type that is not True is removed.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: Date,
): Condition[] {
  const current = conditions ?? [];
  if (ABNORMAL_TRUE_TYPES.has(input.type) && input.status !== 'True') {
    return current.filter((condition) => condition.type !== input.type);
  }
  const existing = findCondition(current, input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message: input.message ?? '',
    lastTransitionTime:
      existing && existing.status === input.status ? existing.lastTransitionTime : conditionTime(now),
  };
  if (input.observedGeneration !== undefined) next.observedGeneration = input.observedGeneration;
  if (!existing) return [...current, next];
  return current.map((condition) => (condition.type === input.type ? next : condition));
}

/** Applies several inputs in order (later inputs of the same type win). */
export function mergeConditions(
  conditions: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  now: Date,
): Condition[] {
  return inputs.reduce<Condition[]>((acc, input) => setCondition(acc, input, now), [...(conditions ?? [])]);
}

/** Returns `conditions` without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((condition) => condition.type !== type);
}

/**
 * Whether two condition lists say the same thing, ignoring their order. Used to skip status writes
 * that would change nothing.
 */
export function sameConditions(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  if (left.length !== right.length) return false;
  return left.every((condition) => {
    const other = findCondition(right, condition.type);
    return (
      other !== undefined &&
      other.status === condition.status &&
      other.reason === condition.reason &&
      (other.message ?? '') === (condition.message ?? '') &&
      other.observedGeneration === condition.observedGeneration &&
      other.lastTransitionTime === condition.lastTransitionTime
    );
  });
}
