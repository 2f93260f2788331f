import { isCloudError } from '../../alicloud/errors.js';
import type { PolicyRef, RamPort } from '../../alicloud/ports.js';

/**
 * Deletes a custom policy the way RAM requires: detach it from every role, user and group (in A, wherever
 * someone attached it), delete its non-default versions, then the policy. A policy that is already gone
 * (EntityNotExist at any step) counts as deleted. Returns whether the policy existed when we started.
 *
 * Callers must have established that this delegation owns the policy: this removes it from everything.
 */
export async function deleteCustomPolicy(ram: RamPort, policyName: string): Promise<boolean> {
  const ref: PolicyRef = { policyName, policyType: 'Custom' };
  const entities = await alreadyGoneAsUndefined(ram.listEntitiesForPolicy(ref));
  if (!entities) return false;
  await Promise.all([
    ...entities.roles.map((role) => ram.detachPolicyFromRole(ref, role)),
    ...entities.users.map((user) => ram.detachPolicyFromUser(ref, user)),
    ...entities.groups.map((group) => ram.detachPolicyFromGroup(ref, group)),
  ]);
  const versions = await alreadyGoneAsUndefined(ram.listPolicyVersions(policyName));
  if (!versions) return false;
  await Promise.all(
    versions.filter((v) => !v.isDefault).map((v) => ram.deletePolicyVersion(policyName, v.versionId)),
  );
  await ram.deletePolicy(policyName);
  return true;
}

/** List calls on a missing policy fail with EntityNotExist; for a deletion that means "done". */
async function alreadyGoneAsUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return undefined;
    throw error;
  }
}
