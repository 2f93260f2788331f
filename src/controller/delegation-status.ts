import { ConditionType, Reason } from '../api/constants.js';
import type { Condition, CrossAccountDelegationStatus, InventoryStatus, UserStatus } from '../api/status.js';
import type { Blocked, Side } from '../delegation/change.js';
import type { Verification } from '../delegation/verify.js';
import type { ClassifiedError } from './classify-error.js';
import { mergeConditions, type ConditionInput } from './conditions.js';

/** A side that cannot be brought to the spec without a human (EntityNotManaged, PolicyTooBroad, ...). */
export interface SideBlocked extends Blocked {
  side: Side;
}

/** What one reconcile pass found, as far as the status is concerned. */
export type PassResult =
  /** The spec failed runtime validation: nothing was called. */
  | { kind: 'Invalid'; message: string }
  /**
   * The pass threw. `retryable` decides Reconciling (backoff) versus Stalled (wait for a change).
   * `inventory`: the record as the failed pass left it (absent: unchanged).
   */
  | { kind: 'Failed'; error: ClassifiedError; inventory?: InventoryStatus | undefined }
  /** Every step that could run ran. */
  | {
      kind: 'Done';
      /**
       * The side that stopped the pass, if any. At most one: B is only touched once A is synced, so an
       * owner block leaves B unreached, and an authorized block leaves A synced.
       */
      blocked: SideBlocked | undefined;
      /** The role's ARN as RAM reported it; absent when the owner side is blocked. */
      roleArn: string | undefined;
      /** B's users as the status reports them; absent unless the authorized side synced. */
      users: UserStatus[] | undefined;
      /** Absent when nothing was verified (a side blocked, access revoked, or no Programmatic user). */
      verification: Verification | undefined;
      /** Access is off on purpose: `spec.suspend`, or `spec.expiresAt` has passed (expiry wins). */
      accessRevoked: 'suspended' | 'expired' | undefined;
      /** `status.expiresAt` and `status.expiresSoon` (see `Expiry`); absent: unchanged. */
      expiry?: { expiresAt: string | undefined; expiresSoon: boolean } | undefined;
      /** The record of what the delegation created (status.inventory); absent: unchanged. */
      inventory?: InventoryStatus | undefined;
    };

type DoneResult = Extract<PassResult, { kind: 'Done' }>;

/** Whether the pass finished the generation: Ready, or stalled on something only a human can fix. */
function generationDone(result: PassResult): boolean {
  return result.kind !== 'Failed' || !result.error.retryable;
}

type At = (type: string, status: Condition['status'], reason: string, message: string) => ConditionInput;

function invalidConditions(message: string, at: At): ConditionInput[] {
  return [
    at(ConditionType.Ready, 'False', Reason.InvalidSpec, message),
    at(ConditionType.Stalled, 'True', Reason.InvalidSpec, message),
    at(ConditionType.Reconciling, 'False', Reason.InvalidSpec, ''),
    at(ConditionType.OwnerSynced, 'Unknown', Reason.InvalidSpec, 'the spec is invalid'),
    at(ConditionType.AuthorizedSynced, 'Unknown', Reason.InvalidSpec, 'the spec is invalid'),
    at(ConditionType.AccessVerified, 'Unknown', Reason.NotVerified, 'the spec is invalid'),
  ];
}

function failedConditions({ retryable, reason, message }: ClassifiedError, at: At): ConditionInput[] {
  return [
    at(ConditionType.Ready, 'False', reason, message),
    at(
      ConditionType.Reconciling,
      retryable ? 'True' : 'False',
      reason,
      retryable ? `retrying: ${message}` : '',
    ),
    at(ConditionType.Stalled, retryable ? 'False' : 'True', reason, message),
  ];
}

/** OwnerSynced and AuthorizedSynced: what each side's step found. */
function sideConditions(result: DoneResult, at: At): ConditionInput[] {
  const { blocked, roleArn, users, accessRevoked } = result;
  const owner =
    blocked?.side === 'owner'
      ? at(ConditionType.OwnerSynced, 'False', blocked.reason, blocked.message)
      : roleArn === undefined
        ? at(
            ConditionType.OwnerSynced,
            'Unknown',
            Reason.Progressing,
            "waiting for account B's users, which the role's trust policy names",
          )
        : accessRevoked
          ? at(
              ConditionType.OwnerSynced,
              'True',
              accessRevoked === 'expired' ? Reason.Expired : Reason.Suspended,
              `role ${roleArn} exists with no policy attached (${accessRevoked})`,
            )
          : at(
              ConditionType.OwnerSynced,
              'True',
              Reason.Reconciled,
              `role ${roleArn} and its policies match the spec`,
            );
  const authorized =
    blocked?.side === 'owner'
      ? at(ConditionType.AuthorizedSynced, 'Unknown', Reason.Progressing, 'waiting for the owner side')
      : blocked?.side === 'authorized'
        ? at(ConditionType.AuthorizedSynced, 'False', blocked.reason, blocked.message)
        : at(
            ConditionType.AuthorizedSynced,
            'True',
            Reason.Reconciled,
            `${users?.length ?? 0} user(s) and the AssumeRole grant match the spec`,
          );
  return [owner, authorized];
}

/** AccessVerified, Ready, Reconciling and Stalled once both sides are synced. */
function syncedConditions(result: DoneResult, at: At): ConditionInput[] {
  const { verification, accessRevoked } = result;
  const settled = [
    at(ConditionType.Reconciling, 'False', Reason.Reconciled, ''),
    at(ConditionType.Stalled, 'False', Reason.Reconciled, ''),
  ];
  if (accessRevoked === 'expired') {
    const when = result.expiry?.expiresAt ?? 'spec.expiresAt';
    return [
      at(
        ConditionType.AccessVerified,
        'False',
        Reason.Expired,
        `access expired at ${when}: the role has no policies`,
      ),
      at(
        ConditionType.Ready,
        'False',
        Reason.Expired,
        `expired at ${when}: the role has no policies; move spec.expiresAt later or remove it to grant access again`,
      ),
      ...settled,
    ];
  }
  if (accessRevoked === 'suspended') {
    return [
      at(
        ConditionType.AccessVerified,
        'False',
        Reason.Suspended,
        'access is suspended: the role has no policies',
      ),
      at(
        ConditionType.Ready,
        'True',
        Reason.Suspended,
        'suspended: the role has no policies until spec.suspend is false',
      ),
      ...settled,
    ];
  }
  if (!verification) {
    return [
      at(ConditionType.AccessVerified, 'Unknown', Reason.NotVerified, 'no Programmatic user to verify with'),
      at(ConditionType.Ready, 'True', Reason.Reconciled, 'both accounts match the spec'),
      ...settled,
    ];
  }
  if (!verification.attempted) {
    return [
      at(ConditionType.AccessVerified, 'Unknown', verification.reason, verification.message),
      at(ConditionType.Ready, 'True', Reason.Reconciled, 'both accounts match the spec'),
      ...settled,
    ];
  }
  if (verification.verified) {
    return [
      at(ConditionType.AccessVerified, 'True', verification.reason, verification.message),
      at(
        ConditionType.Ready,
        'True',
        Reason.Reconciled,
        'both accounts match the spec and access was verified',
      ),
      ...settled,
    ];
  }
  return [
    at(ConditionType.AccessVerified, 'False', verification.reason, verification.message),
    at(ConditionType.Ready, 'False', verification.reason, verification.message),
    at(
      ConditionType.Reconciling,
      'True',
      verification.reason,
      'waiting for access to work (RAM changes can take seconds to apply)',
    ),
  ];
}

function conditionInputs(result: PassResult, generation: number): ConditionInput[] {
  const at: At = (type, status, reason, message) => ({
    type,
    status,
    reason,
    message,
    observedGeneration: generation,
  });
  if (result.kind === 'Invalid') return invalidConditions(result.message, at);
  if (result.kind === 'Failed') return failedConditions(result.error, at);
  const { blocked } = result;
  if (!blocked) return [...sideConditions(result, at), ...syncedConditions(result, at)];
  const why = `${blocked.side}: ${blocked.message}`;
  return [
    ...sideConditions(result, at),
    at(ConditionType.AccessVerified, 'Unknown', Reason.NotVerified, 'a side is not synced'),
    at(ConditionType.Ready, 'False', blocked.reason, why),
    at(ConditionType.Stalled, 'True', blocked.reason, why),
    at(ConditionType.Reconciling, 'False', blocked.reason, ''),
  ];
}

/**
 * The status one pass should leave behind. `observedGeneration` moves only when the generation is done
 * (kstatus: Current or Failed); while a retry is pending it stays, so tools keep waiting.
 */
export function desiredStatus(
  current: CrossAccountDelegationStatus | undefined,
  generation: number,
  result: PassResult,
  now: Date,
): CrossAccountDelegationStatus {
  const next: CrossAccountDelegationStatus = { ...(current ?? {}) };
  next.conditions = mergeConditions(current?.conditions, conditionInputs(result, generation), now);
  if (generationDone(result)) next.observedGeneration = generation;
  if (result.kind === 'Done') {
    if (result.roleArn !== undefined) next.roleArn = result.roleArn;
    if (result.users !== undefined) next.users = result.users;
    if (result.expiry) {
      const { expiresAt, expiresSoon } = result.expiry;
      if (expiresAt === undefined) delete next.expiresAt;
      else next.expiresAt = expiresAt;
      if (expiresSoon) next.expiresSoon = true;
      else delete next.expiresSoon;
    }
  }
  if (result.kind !== 'Invalid' && result.inventory !== undefined) next.inventory = result.inventory;
  return next;
}
