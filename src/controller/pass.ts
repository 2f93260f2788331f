import type { KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP_VERSION, ConditionType, KIND } from '../api/constants.js';
import type { CrossAccountDelegationObject } from '../api/resource.js';
import type { CrossAccountDelegationStatus } from '../api/status.js';
import type { EngineOptions } from '../delegation/context.js';
import type { RecordedEntity } from '../delegation/inventory.js';
import type { Logger } from '../observability/logger.js';
import type { OperatorMetrics, ReconcileResult } from '../observability/metrics.js';
import type { AccountAccess } from './account-access.js';
import { classifyError, type ClassifiedError } from './classify-error.js';
import type { CredentialSecrets } from './credential-secrets.js';
import { desiredStatus, type PassResult } from './delegation-status.js';
import type { EventRecorder, EventSubject } from './events.js';
import type { KubeClients } from './kube-clients.js';
import type { LastUsedReads, LifecycleSettings } from './lifecycle-settings.js';
import type { StatusWriter } from './status-writer.js';
import type { OwnSecretWrites } from './own-secret-writes.js';
import { recheckDelay } from './timing.js';
import type { WorkOutcome } from './work-queue.js';

/**
 * What both paths of a reconcile pass share, the sync path (`sync/`) and the deletion path
 * (`deletion.ts`): their dependencies, the pass they work on, how a pass ends, and how a failure is
 * reported. Neither path imports the other.
 */

export interface ReconcilerDeps {
  kube: KubeClients;
  /** Credentials → ports, one per side (each side has its own rate limits and metrics label). */
  access: { owner: AccountAccess; authorized: AccountAccess };
  engine: EngineOptions;
  clusterName: string;
  events: EventRecorder;
  statusWriter: StatusWriter;
  metrics?: OperatorMetrics;
  logger: Logger;
  clock: () => Date;
  /** The delay until the key's next resync (at its phase within the period: timing.ts). */
  resyncDelayMs: (key: string) => number;
  /** The in-use finalizer on the credential Secrets delegations reference. */
  credentialSecrets: CredentialSecrets;
  /** Leftovers the orphan sweep attributed to a delegation, for its next pass to delete (optional). */
  orphans?: OrphanFindings;
  /** Expiry and AccessKey review: the settings, and when each key's last use was looked up. */
  lifecycle: { settings: LifecycleSettings; lastUsed: LastUsedReads };
  /** The users' Secrets being written, so their watch events do not bring the delegation back (optional). */
  ownSecretWrites?: OwnSecretWrites;
}

/** What the orphan sweep (orphan-sweep.ts) hands to passes: leftovers by delegation key. */
export interface OrphanFindings {
  /** The leftovers found for `key` since its last pass; each is handed out once. */
  take(key: string): RecordedEntity[];
}

/** One pass over one delegation, as read at its start. */
export interface DelegationPass {
  readonly deps: ReconcilerDeps;
  /** `namespace/name`: the work-queue key. */
  readonly key: string;
  readonly object: CrossAccountDelegationObject;
  /** The object exactly as read; finalizer patches are guarded by its resourceVersion. */
  readonly raw: KubernetesObject;
  readonly namespace: string;
  readonly subject: EventSubject;
  readonly log: Logger;
}

/** How a pass ended, when it did not throw for a retry: its metrics label and when to look again. */
export interface PassOutcome {
  result: Exclude<ReconcileResult, 'error'>;
  next: WorkOutcome;
}

/** How soon a delegation stalled on something no watch reports looks again at first (then doubling). */
const UNWATCHED_RECHECK_MS = 5_000;

/**
 * Stalled: only a change (or the next resync, which re-checks the cloud) can move the delegation on. A
 * `cause` whose fix no watch reports (a credential Secret not created yet) is looked at again sooner:
 * 5 s after it stalled, then at doubling gaps, never later than the resync.
 */
export function stalled(pass: DelegationPass, cause?: ClassifiedError): PassOutcome {
  const resync = pass.deps.resyncDelayMs(pass.key);
  const next = cause?.unwatched
    ? recheckDelay(stalledSince(pass.object, cause.reason), pass.deps.clock(), UNWATCHED_RECHECK_MS, resync)
    : resync;
  return { result: 'stalled', next: { requeueAfterMs: next } };
}

/**
 * Since when the delegation has been Stalled for `reason`, as its status (read at the pass's start) says.
 * Stalled for another reason before counts as not stalled yet: the condition keeps its transition time
 * when only the reason changes.
 */
function stalledSince(object: CrossAccountDelegationObject, reason: string): Date | undefined {
  const condition = object.status?.conditions?.find((c) => c.type === ConditionType.Stalled);
  if (condition?.status !== 'True' || condition.reason !== reason) return undefined;
  const since = Date.parse(condition.lastTransitionTime);
  return Number.isNaN(since) ? undefined : new Date(since);
}

export function eventSubject(object: CrossAccountDelegationObject): EventSubject {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: KIND,
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
    ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
  };
}

/** Records why a delegation cannot go on, as a `ReconcileError` Warning Event. */
export async function warn(
  pass: DelegationPass,
  action: 'Reconcile' | 'Revoke',
  note: string,
): Promise<void> {
  await pass.deps.events.record(pass.subject, { type: 'Warning', reason: 'ReconcileError', action, note });
}

/** Classifies a failed pass, logs it (with `context`) and records the Warning Event. */
export async function reportFailure(
  pass: DelegationPass,
  action: 'Reconcile' | 'Revoke',
  error: unknown,
  context: Record<string, string> = {},
): Promise<ClassifiedError> {
  const classified = classifyError(error);
  pass.log.warn(
    { ...context, err: error, reason: classified.reason, retryable: classified.retryable },
    action === 'Revoke' ? 'revocation failed' : 'reconcile failed',
  );
  await warn(pass, action, `${classified.reason}: ${classified.message}`);
  return classified;
}

/**
 * The pass's one status write: the status `result` calls for (none when nothing changed). Resolves the
 * status the object has now.
 */
export async function writeStatus(
  pass: DelegationPass,
  result: PassResult,
): Promise<CrossAccountDelegationStatus> {
  const { object, deps } = pass;
  const status = desiredStatus(object.status, object.metadata.generation ?? 1, result, deps.clock());
  await deps.statusWriter.write({ metadata: object.metadata, status: object.status }, status);
  return status;
}
