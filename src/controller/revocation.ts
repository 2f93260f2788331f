import type { KubernetesObject } from '@kubernetes/client-node';
import { DELEGATION_FINALIZER, SECRET_IN_USE_FINALIZER } from '../api/constants.js';
import { specSchema } from '../api/spec.js';
import type { CrossAccountDelegationObject } from '../api/resource.js';
import { revokeDelegation } from '../delegation/engine.js';
import { ownershipOf } from '../delegation/ownership.js';
import type { Logger } from '../observability/logger.js';
import { AccountAccess } from './account-access.js';
import { revokedEvent } from './change-events.js';
import { classifyError } from './classify-error.js';
import { desiredStatus } from './delegation-status.js';
import { delegationPatcher, hasFinalizer, removeFinalizer, secretPatcher } from './finalizers.js';
import { isNotFound, parseKubeTime } from './kube-clients.js';
import type { ReconcilerDeps } from './reconciler.js';
import { eventSubject } from './reconciler.js';
import { deleteUserSecrets } from './user-secrets.js';
import type { WorkOutcome } from './work-queue.js';

/**
 * The deletion path: revoke (unless `deletionPolicy: Orphan`), delete the user Secrets the operator
 * wrote, release the credential Secrets no other delegation uses, and only then drop the finalizer.
 * A failure keeps the finalizer: access must never outlive the resource silently.
 */
export async function finalizeDelegation(
  deps: ReconcilerDeps,
  object: CrossAccountDelegationObject,
  raw: KubernetesObject,
  key: string,
  log: Logger,
): Promise<{ result: 'success' | 'stalled'; next: WorkOutcome }> {
  if (!hasFinalizer(raw, DELEGATION_FINALIZER)) return { result: 'success', next: undefined };
  const namespace = object.metadata.namespace ?? '';
  const subject = eventSubject(object);
  // The CRD already admitted this spec; runtime-only rules (sizes, uniqueness) do not matter to revoke.
  const spec = specSchema.safeParse(object.spec);
  if (!spec.success) {
    log.error('cannot revoke: the spec does not parse; remove the finalizer by hand after cleaning up');
    return { result: 'stalled', next: { requeueAfterMs: deps.resyncDelayMs() } };
  }
  if (spec.data.deletionPolicy === 'Delete') {
    const requestedAt = parseKubeTime(object.metadata.deletionTimestamp);
    try {
      const [owner, authorized] = await Promise.all([
        deps.access.owner.portsFor(namespace, spec.data.owner),
        deps.access.authorized.portsFor(namespace, spec.data.authorized),
      ]);
      const identity = { cluster: deps.clusterName, namespace, name: object.metadata.name };
      const outcome = await revokeDelegation(
        { identity, ownership: ownershipOf(identity), spec: spec.data, owner, authorized },
        deps.engine,
      );
      if (outcome.accessRevokedAfterMs !== undefined)
        deps.metrics?.revocationDuration.observe(outcome.accessRevokedAfterMs / 1000);
      const event = revokedEvent(outcome, requestedAt);
      log.info({ note: event.note }, 'revoked');
      await deps.events.record(subject, event);
    } catch (error) {
      deps.metrics?.revocationFailures.inc();
      const classified = classifyError(error);
      log.warn({ err: error, reason: classified.reason }, 'revocation failed');
      await deps.events.record(subject, {
        type: 'Warning',
        reason: 'ReconcileError',
        action: 'Revoke',
        note: `${classified.reason}: ${classified.message}`,
      });
      const status = desiredStatus(
        object.status,
        object.metadata.generation ?? 1,
        { kind: 'Failed', error: classified },
        deps.clock(),
      );
      await deps.statusWriter
        .write({ metadata: object.metadata, status: object.status }, status)
        .catch((statusError: unknown) => {
          if (!isNotFound(statusError)) throw statusError;
        });
      if (classified.retryable) throw error;
      return { result: 'stalled', next: { requeueAfterMs: deps.resyncDelayMs() } };
    }
    await deleteUserSecrets(
      deps.kube.core,
      { namespace, name: object.metadata.name, uid: object.metadata.uid ?? '' },
      spec.data.users.map((u) => u.credentialsSecretName),
    );
  }
  await releaseCredentialSecrets(
    deps,
    namespace,
    [AccountAccess.secretName(spec.data.owner), AccountAccess.secretName(spec.data.authorized)],
    key,
  );
  await removeFinalizer(delegationPatcher(deps.kube.customObjects), raw, DELEGATION_FINALIZER);
  return { result: 'success', next: undefined };
}

/** Work-queue key prefix of a check whether a credential Secret may lose its in-use finalizer. */
export const SECRET_CHECK_PREFIX = 'secret-in-use:';

/**
 * Releases a credential Secret once no delegation references it. Queued when a delegation is gone:
 * delegations deleted at the same time each see the other still referencing the Secret, so only the
 * last DELETE can find it unused.
 */
export async function releaseUnusedSecret(deps: ReconcilerDeps, key: string): Promise<void> {
  const slash = key.indexOf('/', SECRET_CHECK_PREFIX.length);
  await releaseCredentialSecrets(
    deps,
    key.slice(SECRET_CHECK_PREFIX.length, slash),
    [key.slice(slash + 1)],
    '',
  );
}

/** Drops the in-use finalizer from credential Secrets no other delegation references. */
async function releaseCredentialSecrets(
  deps: ReconcilerDeps,
  namespace: string,
  names: (string | undefined)[],
  key: string,
): Promise<void> {
  const patch = secretPatcher(deps.kube.core);
  for (const name of new Set(names)) {
    if (!name || deps.secretStillReferenced(namespace, name, key)) continue;
    try {
      const secret = await deps.kube.core.readNamespacedSecret({ namespace, name });
      await removeFinalizer(patch, secret, SECRET_IN_USE_FINALIZER);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
