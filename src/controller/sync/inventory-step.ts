import type { CustomObjectsApi } from '@kubernetes/client-node';
import { isCloudError } from '../../alicloud/errors.js';
import {
  InventoryRecord,
  inventoryFromStatus,
  inventoryToStatus,
  withEntities,
  type Inventory,
} from '../../delegation/inventory.js';
import { delegationResource, mergePatch } from '../kube-clients.js';
import type { DelegationPass } from '../pass.js';
import { fromStep, type SyncStep } from './sync-pass.js';

/**
 * Opens the delegation's record (status.inventory; docs/adr/0006-inventory-in-status.md) for this
 * pass: what earlier passes created, plus leftovers the orphan sweep attributed to this delegation
 * (docs/adr/0007-orphan-sweep.md). Before the engine creates anything, the record is written ahead as a
 * patch of `status.inventory`; the pass's one status write at the end carries the final record.
 * Also lets the engine check a stored AccessKey that a lagging listing does not show.
 */
export const inventoryStep: SyncStep = {
  name: 'inventory',
  async run(pass) {
    const input = fromStep(pass.input, 'credentials');
    const { accessKeys } = fromStep(pass.userSecrets, 'credentials');
    const found = pass.deps.orphans?.take(pass.key) ?? [];
    const initial = withEntities(inventoryFromStatus(pass.object.status?.inventory), found);
    if (found.length > 0)
      pass.log.info({ entities: found }, 'the orphan sweep found leftovers of this delegation');
    pass.record = new InventoryRecord(initial, (next) => writeAhead(pass, next));
    const spec = fromStep(pass.spec, 'validate');
    pass.input = {
      ...input,
      record: pass.record,
      storedKeyWorks: async (userName) => {
        const key = accessKeys.get(userName);
        if (!key) return false;
        const ports = pass.deps.access.authorized.portsForKey(spec.authorized.accountId, key);
        try {
          await ports.sts.getCallerIdentity();
          return true;
        } catch (error) {
          if (isCloudError(error, 'Forbidden')) return false;
          throw error;
        }
      },
    };
    return 'continue';
  },
};

/** The write-ahead: `status.inventory` only, as a merge patch; the pass's object reflects it after. */
async function writeAhead(pass: DelegationPass, next: Inventory): Promise<void> {
  const inventory = inventoryToStatus(next);
  await patchInventory(pass.deps.kube.customObjects, pass.namespace, pass.object.metadata.name, inventory);
  pass.object.status = { ...(pass.object.status ?? {}), inventory };
}

async function patchInventory(
  customObjects: CustomObjectsApi,
  namespace: string,
  name: string,
  inventory: ReturnType<typeof inventoryToStatus>,
): Promise<void> {
  await customObjects.patchNamespacedCustomObjectStatus(
    { ...delegationResource, namespace, name, body: { status: { inventory } } },
    mergePatch(),
  );
}
