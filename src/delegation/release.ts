import type { RamPort, TaggableResource } from '../alicloud/ports.js';
import type { Change, Side } from './change.js';
import type { AccountPorts, DelegationInput } from './context.js';
import { InventoryRecord } from './inventory.js';
import { ownsByComments, type Ownership } from './ownership.js';
import { scopedPolicyName } from './authorized/desired.js';

/**
 * `deletionPolicy: Orphan`: the operator lets go of everything the delegation holds and leaves it in
 * place. "Letting go" removes the ownership marks (the tag from roles and policies, the marker from
 * users' and groups' Comments), so nothing the operator does later, in particular the orphan sweep,
 * mistakes these entities for leftovers of a deleted delegation and removes them. They become ordinary,
 * unmanaged entities (a new delegation may adopt them). Only entities carrying this delegation's own
 * mark are changed; by name, from the spec and the record.
 */
export async function releaseDelegation(
  input: Pick<DelegationInput, 'spec' | 'ownership' | 'owner' | 'authorized' | 'record'>,
): Promise<Change[]> {
  const { spec, ownership } = input;
  const record = input.record ?? new InventoryRecord();
  const unique = (names: string[]) => [...new Set(names)];
  const ownerPolicies = unique([
    ...record.names('owner', 'policy'),
    ...spec.policies.flatMap((p) => (p.custom ? [p.custom.name] : [])),
  ]);
  const grantPolicies = unique([
    ...record.names('authorized', 'policy'),
    scopedPolicyName(spec.owner.accountId, spec.role.name),
  ]);
  const users = unique([...record.names('authorized', 'user'), ...spec.users.map((u) => u.name)]);
  const groups = unique([...record.names('authorized', 'group'), ...(spec.group ? [spec.group.name] : [])]);
  const results = await Promise.all([
    untagIfOurs(input.owner, 'owner', 'role', spec.role.name, ownership),
    ...ownerPolicies.map((name) => untagIfOurs(input.owner, 'owner', 'policy', name, ownership)),
    ...grantPolicies.map((name) => untagIfOurs(input.authorized, 'authorized', 'policy', name, ownership)),
    ...users.map((name) => unmarkIfOurs(input.authorized.ram, 'user', name, ownership)),
    ...groups.map((name) => unmarkIfOurs(input.authorized.ram, 'group', name, ownership)),
  ]);
  return results.flatMap((change) => (change ? [change] : []));
}

async function untagIfOurs(
  ports: AccountPorts,
  side: Side,
  resource: TaggableResource,
  name: string,
  ownership: Ownership,
): Promise<Change | undefined> {
  const exists =
    resource === 'role'
      ? await ports.ram.getRole(name)
      : await ports.ram.getPolicy({ policyName: name, policyType: 'Custom' });
  if (!exists) return undefined;
  const tags = await ports.ram.listTags(resource, name);
  if (tags[ownership.tagKey] !== ownership.tagValue) return undefined;
  await ports.ram.untag(resource, name, [ownership.tagKey]);
  const what = resource === 'role' ? 'role' : 'custom policy';
  return released(side, `${resource}/${name}`, `release ${what} ${name} (remove the ownership tag)`);
}

async function unmarkIfOurs(
  ram: RamPort,
  kind: 'user' | 'group',
  name: string,
  ownership: Ownership,
): Promise<Change | undefined> {
  const found = kind === 'user' ? await ram.getUser(name) : await ram.getGroup(name);
  if (!found || !ownsByComments(found.comments, ownership)) return undefined;
  const comments = found.comments
    .split(/\s+/)
    .filter((word) => word !== '' && word !== ownership.marker)
    .join(' ');
  if (kind === 'user') await ram.updateUser(name, { comments });
  else await ram.updateGroup(name, { comments });
  return released('authorized', `${kind}/${name}`, `release ${kind} ${name} (remove the ownership marker)`);
}

function released(side: Side, entity: string, description: string): Change {
  return { side, verb: 'Updated', entity, drift: false, description };
}
