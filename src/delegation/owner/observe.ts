import type { RamPort } from '../../alicloud/ports.js';
import type { Ownership } from '../ownership.js';
import { policiesEqual } from '../policy-compare.js';
import type { DesiredCustomPolicy, DesiredOwner } from './desired.js';
import { ownerFromTags, type ObservedOwner, type ObservedPolicy, type ObservedRole } from './observed.js';

/**
 * Reads what account A holds for one delegation, with as few calls as the plan allows, all independent
 * reads in flight at once:
 * - GetRole, then (only if it exists) its tags and its attached policies;
 * - ListTagResources for the custom policies carrying this delegation's tag (finds ones removed from the
 *   spec, and proves ownership of the spec's policies without a tag read each);
 * - GetPolicy for each spec custom policy; its tags only when the tag search did not list it (to tell
 *   "untagged" from "another delegation's"); its versions only when its document differs from the spec.
 *
 * A no-op pass for a role with one custom policy costs 5 reads: GetRole, ListTagResources (role),
 * ListPoliciesForRole, ListTagResources (policies), GetPolicy.
 */
export async function observeOwner(
  ram: RamPort,
  desired: DesiredOwner,
  ownership: Ownership,
): Promise<ObservedOwner> {
  const taggedPromise = ram.findByTag('policy', ownership.tagKey, ownership.tagValue);
  const rolePromise = desired.role ? observeRole(ram, desired.role.name, ownership) : undefined;
  const policyPromises = desired.customPolicies.map(async (policy) => {
    const observed = await observePolicy(ram, policy, taggedPromise, ownership);
    return [policy.name, observed] as const;
  });
  const [tagged, role, policies] = await Promise.all([
    taggedPromise,
    rolePromise,
    Promise.all(policyPromises),
  ]);
  return { role, customPolicies: new Map(policies), taggedPolicies: tagged };
}

async function observeRole(
  ram: RamPort,
  roleName: string,
  ownership: Ownership,
): Promise<ObservedRole | undefined> {
  const info = await ram.getRole(roleName);
  if (!info) return undefined;
  const [tags, attached] = await Promise.all([
    ram.listTags('role', roleName),
    ram.listPoliciesForRole(roleName),
  ]);
  return { info, owner: ownerFromTags(tags, ownership), attached };
}

async function observePolicy(
  ram: RamPort,
  policy: DesiredCustomPolicy,
  tagged: Promise<string[]>,
  ownership: Ownership,
): Promise<ObservedPolicy | undefined> {
  const info = await ram.getPolicy({ policyName: policy.name, policyType: 'Custom' });
  if (!info) return undefined;
  const needsVersion = !policiesEqual(info.document, policy.document);
  const [owner, versions] = await Promise.all([
    tagged.then(async (names) =>
      names.includes(policy.name)
        ? ({ kind: 'ours' } as const)
        : ownerFromTags(await ram.listTags('policy', policy.name), ownership),
    ),
    needsVersion ? ram.listPolicyVersions(policy.name) : Promise.resolve(undefined),
  ]);
  return versions ? { info, owner, versions } : { info, owner };
}
