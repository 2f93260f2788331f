import { orUndefined } from '../alicloud/errors.js';
import type { PolicyRef, RamPort } from '../alicloud/ports.js';

/**
 * The engine's one way to delete a custom policy, as RAM requires it: detach it from every role, user and
 * group (wherever someone attached it), delete its non-default versions, then the policy.
 *
 * Reads may lag behind RAM's truth, writes act on it: a policy a read does not show (EntityNotExist)
 * may exist all the same, so DeletePolicy is always called. It answers EntityNotExist when the policy
 * is really gone (success), or `DeleteConflict.Policy.*` when an attachment or a version the reads missed
 * is still there (a retryable error: the next attempt reads again).
 *
 * Callers must have established that this delegation owns the policy: this removes it from everything.
 */
export async function deleteCustomPolicy(ram: RamPort, policyName: string): Promise<void> {
  const ref: PolicyRef = { policyName, policyType: 'Custom' };
  const entities = await orUndefined(ram.listEntitiesForPolicy(ref));
  if (entities) {
    await Promise.all([
      ...entities.roles.map((role) => ram.detachPolicyFromRole(ref, role)),
      ...entities.users.map((user) => ram.detachPolicyFromUser(ref, user)),
      ...entities.groups.map((group) => ram.detachPolicyFromGroup(ref, group)),
    ]);
  }
  const versions = entities ? await orUndefined(ram.listPolicyVersions(policyName)) : undefined;
  await Promise.all(
    (versions ?? []).filter((v) => !v.isDefault).map((v) => ram.deletePolicyVersion(policyName, v.versionId)),
  );
  await ram.deletePolicy(policyName);
}
