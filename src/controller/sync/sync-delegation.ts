import { ConditionType } from '../../api/constants.js';
import type { CrossAccountDelegationStatus } from '../../api/status.js';
import type { PassResult } from '../delegation-status.js';
import { keyTimes } from '../key-review.js';
import { durationText, lifecycleEvents } from '../lifecycle-events.js';
import { reportFailure, stalled, warn, writeStatus, type DelegationPass, type PassOutcome } from '../pass.js';
import { recheckDelay } from '../timing.js';
import { authorizedStep } from './authorized-step.js';
import { credentialsStep } from './credentials-step.js';
import { finalizerStep } from './finalizer-step.js';
import { inventoryStep } from './inventory-step.js';
import { ownerStep } from './owner-step.js';
import { recordChangesStep } from './record-changes-step.js';
import { reviewKeysStep } from './review-keys-step.js';
import { storeSecretsStep } from './store-secrets-step.js';
import { finalInventory, resultOf, startSyncPass, type SyncPass, type SyncStep } from './sync-pass.js';
import { trustedUsersStep } from './trusted-users-step.js';
import { validateStep } from './validate-step.js';
import { verifyStep } from './verify-step.js';

/** How soon to look again when access could not be verified yet (RAM changes take seconds to apply). */
const VERIFY_RETRY_MS = 5_000;

/**
 * When to verify again after a failed AssumeRole: 5 s after the first failure, then as long again as it
 * has been failing (doubling), never later than the next resync (`recheckDelay`).
 */
export function verifyRetryDelayMs(failingSince: Date | undefined, now: Date, resyncDelayMs: number): number {
  return recheckDelay(failingSince, now, VERIFY_RETRY_MS, resyncDelayMs);
}

/**
 * A delegation that is not being deleted, brought to its spec (docs/design.md#reconcile) by these steps, in
 * order. Each may stop the pass; whatever happens, the pass ends with one status write.
 */
const SYNC_STEPS: readonly SyncStep[] = [
  finalizerStep,
  validateStep,
  credentialsStep,
  inventoryStep,
  trustedUsersStep,
  ownerStep,
  authorizedStep,
  storeSecretsStep,
  recordChangesStep,
  verifyStep,
  reviewKeysStep,
];

/**
 * Runs the steps over one delegation, then writes the status once (skipped when it would not change),
 * records the lifecycle Warnings and gauges, and decides what the work queue does next. A retryable
 * failure is rethrown, so the queue backs off (honouring the service's retry-after); a terminal one
 * stalls until something changes. Whatever the outcome, the pass comes back no later than the moment
 * something timed falls due (expiry, its warning, a rotation step): to the second, not at a resync.
 */
export async function syncDelegation(base: DelegationPass): Promise<PassOutcome> {
  const pass = startSyncPass(base);
  const { result, error } = await runSteps(pass, SYNC_STEPS);
  const status = await writeStatus(pass, result);
  await recordLifecycle(pass, status);
  if (result.kind === 'Failed' && result.error.retryable) throw error;
  const expiresAt = pass.expiry?.expired === false ? pass.expiry.expiresAt : undefined;
  return wakeInTime(pass.deps.clock(), pass.wakeAt, await outcomeOf(pass, result), expiresAt);
}

async function outcomeOf(pass: SyncPass, result: PassResult): Promise<PassOutcome> {
  if (result.kind !== 'Done') return stalled(pass, result.kind === 'Failed' ? result.error : undefined);
  if (result.blocked) {
    await warn(pass, 'Reconcile', `${result.blocked.reason}: ${result.blocked.message}`);
    return stalled(pass);
  }
  if (result.verification?.attempted && !result.verification.verified) {
    const next = verifyRetryDelayMs(failingSince(pass), pass.deps.clock(), pass.deps.resyncDelayMs(pass.key));
    return { result: 'requeue', next: { requeueAfterMs: next } };
  }
  pass.log.debug({ generation: pass.object.metadata.generation ?? 1 }, 'reconciled');
  return { result: 'success', next: { requeueAfterMs: pass.deps.resyncDelayMs(pass.key) } };
}

/**
 * The outcome, brought forward to the first timed moment the pass found ahead (none: unchanged). When
 * that moment is the expiry (`revokesAt`), the pass then revokes: it takes the work queue's urgent lane.
 */
export function wakeInTime(
  now: Date,
  wakeAt: readonly Date[],
  outcome: PassOutcome,
  revokesAt?: string,
): PassOutcome {
  const dueIn = (at: Date) => Math.max(0, Math.ceil(at.getTime() - now.getTime()));
  const due = wakeAt.map(dueIn);
  if (due.length === 0 || !outcome.next) return outcome;
  const requeueAfterMs = Math.min(outcome.next.requeueAfterMs, ...due);
  const revokes = revokesAt !== undefined && requeueAfterMs === dueIn(new Date(revokesAt));
  return { ...outcome, next: { requeueAfterMs, ...(revokes ? { priority: 'urgent' as const } : {}) } };
}

/** The Warnings whose state this pass began (ExpiresSoon, Expired, AccessKeyUnused), and the gauges. */
async function recordLifecycle(pass: SyncPass, status: CrossAccountDelegationStatus): Promise<void> {
  const { deps, namespace, object } = pass;
  const notes = lifecycleEvents(object.status, status, {
    unusedKeyWarning: durationText(deps.lifecycle.settings.unusedKeyWarningMs),
  });
  for (const event of notes) await deps.events.record(pass.subject, event);
  const gauges = deps.metrics?.lifecycle;
  if (pass.expiry) {
    const { expiresAt } = pass.expiry;
    gauges?.setExpiry(namespace, object.metadata.name, expiresAt ? new Date(expiresAt) : undefined);
  }
  if (pass.keyReviews) gauges?.setAccessKeys(namespace, object.metadata.name, keyTimes(pass.keyReviews));
}

/** Since when AccessVerified has been False, as the status showed it before this pass. */
function failingSince(pass: SyncPass): Date | undefined {
  const condition = pass.object.status?.conditions?.find((c) => c.type === ConditionType.AccessVerified);
  if (condition?.status !== 'False') return undefined;
  const since = Date.parse(condition.lastTransitionTime);
  return Number.isNaN(since) ? undefined : new Date(since);
}

async function runSteps(
  pass: SyncPass,
  steps: readonly SyncStep[],
): Promise<{ result: PassResult; error?: unknown }> {
  for (const step of steps) {
    try {
      if ((await step.run(pass)) === 'stop') break;
    } catch (error) {
      if (step.retriesQuietly) throw error;
      const classified = await reportFailure(pass, 'Reconcile', error, { step: step.name });
      return { result: { kind: 'Failed', error: classified, inventory: finalInventory(pass) }, error };
    }
  }
  return { result: resultOf(pass) };
}
