import { ConditionType, Reason } from '../api/constants.js';
import type { Condition, CrossAccountDelegationStatus } from '../api/status.js';
import type { Blocked } from '../delegation/change.js';
import type { ReconcileOutcome } from '../delegation/engine.js';
import type { Verification } from '../delegation/verify.js';
import type { ClassifiedError } from './classify-error.js';
import { mergeConditions, type ConditionInput } from './conditions.js';

/** What one reconcile pass found, as far as the status is concerned. */
export type PassResult =
  /** The spec failed runtime validation: nothing was called. */
  | { kind: 'Invalid'; message: string }
  /** The pass threw. `retryable` decides Reconciling (backoff) versus Stalled (wait for a change). */
  | { kind: 'Failed'; error: ClassifiedError }
  /** The engine ran to the end; a side may still be blocked (EntityNotManaged, PolicyTooBroad, ...). */
  | { kind: 'Done'; outcome: ReconcileOutcome; verification: Verification | undefined; suspended: boolean };

/** Whether the pass finished the generation: Ready, or stalled on something only a human can fix. */
export function generationDone(result: PassResult): boolean {
  return result.kind !== 'Failed' || !result.error.retryable;
}

function blockedOf(result: PassResult): (Blocked & { side: 'owner' | 'authorized' }) | undefined {
  if (result.kind !== 'Done') return undefined;
  if (result.outcome.owner.blocked) return { ...result.outcome.owner.blocked, side: 'owner' };
  if (result.outcome.authorized?.blocked) return { ...result.outcome.authorized.blocked, side: 'authorized' };
  return undefined;
}

function conditionInputs(result: PassResult, generation: number): ConditionInput[] {
  const at = (
    type: string,
    status: Condition['status'],
    reason: string,
    message: string,
  ): ConditionInput => ({
    type,
    status,
    reason,
    message,
    observedGeneration: generation,
  });
  const notVerified = (why: string) => at(ConditionType.AccessVerified, 'Unknown', Reason.NotVerified, why);

  if (result.kind === 'Invalid') {
    return [
      at(ConditionType.Ready, 'False', Reason.InvalidSpec, result.message),
      at(ConditionType.Stalled, 'True', Reason.InvalidSpec, result.message),
      at(ConditionType.Reconciling, 'False', Reason.InvalidSpec, ''),
      at(ConditionType.OwnerSynced, 'Unknown', Reason.InvalidSpec, 'the spec is invalid'),
      at(ConditionType.AuthorizedSynced, 'Unknown', Reason.InvalidSpec, 'the spec is invalid'),
      notVerified('the spec is invalid'),
    ];
  }
  if (result.kind === 'Failed') {
    const { retryable, reason, message } = result.error;
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

  const { outcome, verification, suspended } = result;
  const blocked = blockedOf(result);
  const inputs: ConditionInput[] = [];
  inputs.push(
    outcome.owner.blocked
      ? at(ConditionType.OwnerSynced, 'False', outcome.owner.blocked.reason, outcome.owner.blocked.message)
      : suspended
        ? at(
            ConditionType.OwnerSynced,
            'True',
            Reason.Suspended,
            `role ${outcome.roleArn} exists with no policy attached (suspended)`,
          )
        : at(
            ConditionType.OwnerSynced,
            'True',
            Reason.Reconciled,
            `role ${outcome.roleArn} and its policies match the spec`,
          ),
  );
  const authorized = outcome.authorized;
  inputs.push(
    !authorized
      ? at(ConditionType.AuthorizedSynced, 'Unknown', Reason.Progressing, 'waiting for the owner side')
      : authorized.blocked
        ? at(ConditionType.AuthorizedSynced, 'False', authorized.blocked.reason, authorized.blocked.message)
        : at(
            ConditionType.AuthorizedSynced,
            'True',
            Reason.Reconciled,
            `${authorized.users.length} user(s) and the AssumeRole grant match the spec`,
          ),
  );
  if (blocked) {
    inputs.push(
      notVerified('a side is not synced'),
      at(ConditionType.Ready, 'False', blocked.reason, `${blocked.side}: ${blocked.message}`),
      at(ConditionType.Stalled, 'True', blocked.reason, `${blocked.side}: ${blocked.message}`),
      at(ConditionType.Reconciling, 'False', blocked.reason, ''),
    );
    return inputs;
  }
  if (suspended) {
    inputs.push(
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
    );
  } else if (!verification) {
    inputs.push(
      notVerified('no Programmatic user to verify with'),
      at(ConditionType.Ready, 'True', Reason.Reconciled, 'both accounts match the spec'),
    );
  } else if (verification.verified) {
    inputs.push(
      at(ConditionType.AccessVerified, 'True', verification.reason, verification.message),
      at(
        ConditionType.Ready,
        'True',
        Reason.Reconciled,
        'both accounts match the spec and access was verified',
      ),
    );
  } else {
    inputs.push(
      at(ConditionType.AccessVerified, 'False', verification.reason, verification.message),
      at(ConditionType.Ready, 'False', verification.reason, verification.message),
      at(
        ConditionType.Reconciling,
        'True',
        verification.reason,
        'waiting for access to work (RAM changes can take seconds to apply)',
      ),
    );
    return inputs;
  }
  inputs.push(
    at(ConditionType.Reconciling, 'False', Reason.Reconciled, ''),
    at(ConditionType.Stalled, 'False', Reason.Reconciled, ''),
  );
  return inputs;
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
    if (!result.outcome.owner.blocked) next.roleArn = result.outcome.roleArn;
    if (result.outcome.authorized && !result.outcome.authorized.blocked)
      next.users = result.outcome.authorized.users;
  }
  return next;
}
