import type { RamPort } from '../../alicloud/ports.js';
import type { InventoryRecord } from '../inventory.js';
import type { Ownership } from '../ownership.js';
import { policiesEqual } from '../policy-compare.js';
import type { DesiredCustomPolicy, DesiredOwner } from './desired.js';
import { ownerOf, type ObservedOwner, type ObservedPolicy, type ObservedRole } from './observed.js';

export interface ObserveOwnerOptions {
  /**
   * `unrecorded` (a resync of a Ready generation): tags are read only for entities the record does not
   * name, whose ownership they must prove. `all`: also for recorded ones, so a missing tag is restored.
   */
  readTags: 'all' | 'unrecorded';
  now: Date;
  tagGraceMs: number;
}

/**
 * Reads what account A holds for one delegation, by name only (the spec's role and custom policies; the
 * record's other policies need no read: they are deleted by name), every independent read in flight at
 * once:
 * - GetRole, then (only if it exists) its attached policies, and its tags unless the record makes it
 *   ours already (see {@link ObserveOwnerOptions});
 * - GetPolicy for each spec custom policy; its tags likewise; its versions only when its document
 *   differs from the spec.
 *
 * A resync of a Ready delegation with one custom policy costs 3 reads: GetRole, ListPoliciesForRole,
 * GetPolicy. No read depends on the size of the account.
 */
export async function observeOwner(
  ram: RamPort,
  desired: DesiredOwner,
  ownership: Ownership,
  record: InventoryRecord,
  options: ObserveOwnerOptions,
): Promise<ObservedOwner> {
  const recordedPolicies = record.names('owner', 'policy');
  const recordedRole = record.names('owner', 'role')[0];
  const rolePromise = desired.role
    ? observeRole(ram, desired.role.name, ownership, record, options)
    : recordedRole
      ? observeRole(ram, recordedRole, ownership, record, { ...options, readTags: 'all' })
      : undefined;
  const policyPromises = desired.customPolicies.map(async (policy) => {
    const observed = await observePolicy(ram, policy, ownership, record, options);
    return [policy.name, observed] as const;
  });
  const [role, policies] = await Promise.all([rolePromise, Promise.all(policyPromises)]);
  return {
    role,
    ...(recordedRole ? { recordedRole } : {}),
    customPolicies: new Map(policies),
    recordedPolicies,
  };
}

async function observeRole(
  ram: RamPort,
  roleName: string,
  ownership: Ownership,
  record: InventoryRecord,
  options: ObserveOwnerOptions,
): Promise<ObservedRole | undefined> {
  const info = await ram.getRole(roleName);
  if (!info) return undefined;
  const recorded = record.has({ side: 'owner', kind: 'role', name: roleName });
  const readTags = !recorded || options.readTags === 'all';
  const [tags, attached] = await Promise.all([
    readTags ? ram.listTags('role', roleName) : Promise.resolve(undefined),
    ram.listPoliciesForRole(roleName),
  ]);
  const owner = ownerOf(
    { tags, recorded, createDate: info.createDate, now: options.now, tagGraceMs: options.tagGraceMs },
    ownership,
  );
  return { info, owner, attached };
}

async function observePolicy(
  ram: RamPort,
  policy: DesiredCustomPolicy,
  ownership: Ownership,
  record: InventoryRecord,
  options: ObserveOwnerOptions,
): Promise<ObservedPolicy | undefined> {
  const info = await ram.getPolicy({ policyName: policy.name, policyType: 'Custom' });
  if (!info) return undefined;
  const recorded = record.has({ side: 'owner', kind: 'policy', name: policy.name });
  const readTags = !recorded || options.readTags === 'all';
  const needsVersion = !policiesEqual(info.document, policy.document);
  const [tags, versions] = await Promise.all([
    readTags ? ram.listTags('policy', policy.name) : Promise.resolve(undefined),
    needsVersion ? ram.listPolicyVersions(policy.name) : Promise.resolve(undefined),
  ]);
  const owner = ownerOf(
    { tags, recorded, createDate: info.createDate, now: options.now, tagGraceMs: options.tagGraceMs },
    ownership,
  );
  return versions ? { info, owner, versions } : { info, owner };
}
