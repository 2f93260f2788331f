import { orUndefined } from '../alicloud/errors.js';
import type { PolicyRef, RamPort } from '../alicloud/ports.js';

/**
 * The engine's one way to delete a custom policy, as RAM requires it: detach it from every role, user and
 * group (wherever someone attached it), delete its non-default versions, then the policy. A policy that is
 * already gone (EntityNotExist at any step) counts as deleted.
 *
 * Callers must have established that this delegation owns the policy: this removes it from everything.
 */
export async function deleteCustomPolicy(ram: RamPort, policyName: string): Promise<void> {
  const ref: PolicyRef = { policyName, policyType: 'Custom' };
  const entities = await orUndefined(ram.listEntitiesForPolicy(ref));
  if (!entities) return;
  await Promise.all([
    ...entities.roles.map((role) => ram.detachPolicyFromRole(ref, role)),
    ...entities.users.map((user) => ram.detachPolicyFromUser(ref, user)),
    ...entities.groups.map((group) => ram.detachPolicyFromGroup(ref, group)),
  ]);
  const versions = await orUndefined(ram.listPolicyVersions(policyName));
  if (!versions) return;
  await Promise.all(
    versions.filter((v) => !v.isDefault).map((v) => ram.deletePolicyVersion(policyName, v.versionId)),
  );
  await ram.deletePolicy(policyName);
}
