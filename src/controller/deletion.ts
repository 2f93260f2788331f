import { DELEGATION_FINALIZER } from '../api/constants.js';
import { specSchema, type CrossAccountDelegationSpec } from '../api/spec.js';
import { revokeDelegation } from '../delegation/engine.js';
import { InventoryRecord, inventoryFromStatus } from '../delegation/inventory.js';
import { ownershipOf } from '../delegation/ownership.js';
import { releaseOrphaned } from './orphan-release.js';
import { AccountAccess } from './account-access.js';
import { revokedEvent } from './change-events.js';
import {
  delegationPatcher,
  delegationReader,
  hasFinalizer,
  removeFinalizerFromLatest,
} from './finalizers.js';
import { isNotFound, parseKubeTime } from './kube-clients.js';
import { reportFailure, stalled, writeStatus, type DelegationPass, type PassOutcome } from './pass.js';
import { deleteUserSecrets, secretOwner } from './user-secrets.js';

/**
 * The deletion path: revoke (unless `deletionPolicy: Orphan`), delete the user Secrets the operator
 * wrote, release the credential Secrets no other delegation uses, and only then drop the finalizer.
 * A failure keeps the finalizer: access must never outlive the resource silently. A retryable failure
 * is retried with backoff; a terminal one (a refusal no retry can change) stalls until something
 * changes or the next resync.
 */
export async function finalizeDelegation(pass: DelegationPass): Promise<PassOutcome> {
  const { deps, object, raw, namespace, log } = pass;
  if (!hasFinalizer(raw, DELEGATION_FINALIZER)) return { result: 'success', next: undefined };
  // The CRD already admitted this spec; runtime-only rules (sizes, uniqueness) do not matter to revoke.
  const spec = specSchema.safeParse(object.spec);
  if (!spec.success) {
    log.error('cannot revoke: the spec does not parse; remove the finalizer by hand after cleaning up');
    return stalled(pass);
  }
  try {
    if (spec.data.deletionPolicy === 'Delete') {
      await revoke(pass, spec.data).catch((error: unknown) => {
        deps.metrics?.revocationFailures.inc();
        throw error;
      });
      await deleteUserSecrets(
        deps.kube.core,
        secretOwner(object),
        spec.data.users.map((u) => u.credentialsSecretName),
      );
    } else {
      await releaseOrphaned(pass, spec.data);
    }
    await deps.credentialSecrets.release(
      namespace,
      [AccountAccess.secretName(spec.data.owner), AccountAccess.secretName(spec.data.authorized)],
      pass.key,
    );
    // Re-read first: the revocation may have taken long, and an edit made meanwhile is no reason to fail.
    await removeFinalizerFromLatest(
      delegationReader(deps.kube.customObjects),
      delegationPatcher(deps.kube.customObjects),
      { namespace, name: object.metadata.name },
      DELEGATION_FINALIZER,
    );
    deps.metrics?.lifecycle.forget(namespace, object.metadata.name);
    deps.lifecycle.lastUsed.retain(pass.key, []);
  } catch (error) {
    const classified = await reportFailure(pass, 'Revoke', error);
    await writeStatus(pass, { kind: 'Failed', error: classified }).catch((statusError: unknown) => {
      if (!isNotFound(statusError)) throw statusError;
    });
    if (classified.retryable) throw error;
    return stalled(pass, classified);
  }
  return { result: 'success', next: undefined };
}

/** Revokes in both accounts, then records how long access outlived the start of revocation. */
async function revoke(pass: DelegationPass, spec: CrossAccountDelegationSpec): Promise<void> {
  const { deps, object, namespace, log } = pass;
  const requestedAt = parseKubeTime(object.metadata.deletionTimestamp);
  const [owner, authorized] = await Promise.all([
    deps.access.owner.portsFor(namespace, spec.owner),
    deps.access.authorized.portsFor(namespace, spec.authorized),
  ]);
  const identity = { cluster: deps.clusterName, namespace, name: object.metadata.name };
  const record = new InventoryRecord(inventoryFromStatus(object.status?.inventory));
  const outcome = await revokeDelegation(
    { identity, ownership: ownershipOf(identity), spec, owner, authorized, record },
    deps.engine,
  );
  if (outcome.accessRevokedAfterMs !== undefined)
    deps.metrics?.revocationDuration.observe(outcome.accessRevokedAfterMs / 1000);
  const event = revokedEvent(outcome, requestedAt);
  log.info({ note: event.note }, 'revoked');
  await deps.events.record(pass.subject, event);
}
