import type { CrossAccountDelegationSpec } from '../api/spec.js';
import { InventoryRecord, inventoryFromStatus } from '../delegation/inventory.js';
import { ownershipOf } from '../delegation/ownership.js';
import { releaseDelegation } from '../delegation/release.js';
import { classifyError } from './classify-error.js';
import { warn, type DelegationPass } from './pass.js';

/**
 * `deletionPolicy: Orphan`: removes the delegation's ownership marks from what it leaves behind (see
 * src/delegation/release.ts), so the orphan sweep never takes those entities for leftovers. A failure a
 * retry may fix is thrown (the finalizer stays); one it cannot (credentials gone or refused) is reported
 * as a Warning and the delegation is let go all the same: Orphan must never strand the resource.
 */
export async function releaseOrphaned(pass: DelegationPass, spec: CrossAccountDelegationSpec): Promise<void> {
  const { deps, object, namespace, log } = pass;
  const identity = { cluster: deps.clusterName, namespace, name: object.metadata.name };
  try {
    const [owner, authorized] = await Promise.all([
      deps.access.owner.portsFor(namespace, spec.owner),
      deps.access.authorized.portsFor(namespace, spec.authorized),
    ]);
    const changes = await releaseDelegation({
      spec,
      ownership: ownershipOf(identity),
      owner,
      authorized,
      record: new InventoryRecord(inventoryFromStatus(object.status?.inventory)),
    });
    if (changes.length > 0) log.info({ changes: changes.map((c) => c.description) }, 'released (Orphan)');
  } catch (error) {
    const classified = classifyError(error);
    if (classified.retryable) throw error;
    log.warn({ err: error }, 'could not remove the ownership marks of the orphaned entities');
    await warn(
      pass,
      'Revoke',
      `${classified.reason}: deletionPolicy Orphan: the entities were left in place, but their ownership marks could not be removed: ${classified.message}`,
    );
  }
}
