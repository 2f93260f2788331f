import { OWNERSHIP_TAG_KEY, ownershipValue } from '../api/constants.js';
import type { CrossAccountDelegationSpec } from '../api/spec.js';
import { scopedPolicyName } from '../delegation/authorized/desired.js';
import type { Inventory, RecordedEntity, RecordedKind } from '../delegation/inventory.js';

/**
 * The orphan sweep's pure half: which entities of one account, carrying this cluster's ownership mark,
 * no delegation names in its spec or records in its inventory. See docs/adr/0007-orphan-sweep.md.
 */

/** One role, policy, user or group of the account with an ownership mark (`<cluster>/<ns>/<name>`). */
export interface MarkedEntity {
  kind: RecordedKind;
  name: string;
  /** The ownership value its tag or Comments marker carries. */
  owner: string;
}

/** What the sweep knows of one delegation: its spec and its record. */
export interface DelegationView {
  /** `namespace/name`. */
  key: string;
  spec: CrossAccountDelegationSpec;
  inventory: Inventory;
  /** Being deleted (revocation is under way). */
  deleting?: boolean;
}

/** The delegation key an ownership value names, for this cluster; undefined when it is not ours or not readable. */
export function keyOfOwner(
  owner: string,
  cluster: string,
  known: ReadonlyMap<string, string>,
): string | undefined {
  const knownKey = known.get(owner);
  if (knownKey) return knownKey;
  // A value too long for RAM ends in `~<digest>`: only a known delegation can claim it.
  if (!owner.startsWith(`${cluster}/`) || owner.includes('~')) return undefined;
  const rest = owner.slice(cluster.length + 1);
  const slash = rest.indexOf('/');
  return slash > 0 && slash < rest.length - 1 ? rest : undefined;
}

/** The ownership value in a user's or group's Comments, if any. */
export function markerValue(comments: string): string | undefined {
  const prefix = `${OWNERSHIP_TAG_KEY}=`;
  const word = comments.split(/\s+/).find((w) => w.startsWith(prefix));
  return word?.slice(prefix.length);
}

/** Ownership value → delegation key, for every known delegation. */
export function knownOwners(cluster: string, keys: readonly string[]): Map<string, string> {
  return new Map(
    keys.map((key) => {
      const [namespace = '', name = ''] = key.split('/');
      return [ownershipValue(cluster, namespace, name), key];
    }),
  );
}

/** Whether `view` names or records `entity`, found in account `accountId`. */
export function accountsFor(view: DelegationView, accountId: string, entity: MarkedEntity): boolean {
  const { spec, inventory } = view;
  const isOwner = spec.owner.accountId === accountId;
  const isAuthorized = spec.authorized.accountId === accountId;
  switch (entity.kind) {
    case 'role':
      return isOwner && (spec.role.name === entity.name || inventory.owner.roleName === entity.name);
    case 'policy': {
      const ownerNames = [
        ...spec.policies.flatMap((p) => (p.custom ? [p.custom.name] : [])),
        ...inventory.owner.policies,
      ];
      const grantNames = [
        scopedPolicyName(spec.owner.accountId, spec.role.name),
        ...inventory.authorized.policies,
      ];
      return (
        (isOwner && ownerNames.includes(entity.name)) || (isAuthorized && grantNames.includes(entity.name))
      );
    }
    case 'user':
      return (
        isAuthorized &&
        (spec.users.some((u) => u.name === entity.name) || inventory.authorized.users.includes(entity.name))
      );
    case 'group':
      return (
        isAuthorized &&
        (spec.group?.name === entity.name || inventory.authorized.groups.includes(entity.name))
      );
  }
}

/** The side an entity of `view` found in `accountId` belongs to. */
function sideIn(view: DelegationView | undefined, accountId: string, kind: RecordedKind) {
  if (kind === 'role') return 'owner' as const;
  if (kind === 'user' || kind === 'group') return 'authorized' as const;
  return view?.spec.owner.accountId === accountId ? ('owner' as const) : ('authorized' as const);
}

/**
 * The marked entities of account `accountId` that their delegation does not account for, by delegation
 * key (a key whose delegation the sweep does not know is included: it may be gone). Entities of other
 * clusters, of namespaces out of scope, and with unreadable marks are left out.
 */
export function unaccounted(
  accountId: string,
  marked: readonly MarkedEntity[],
  views: ReadonlyMap<string, DelegationView>,
  options: { cluster: string; known: ReadonlyMap<string, string>; inScope: (namespace: string) => boolean },
): Map<string, RecordedEntity[]> {
  const found = new Map<string, RecordedEntity[]>();
  for (const entity of marked) {
    const key = keyOfOwner(entity.owner, options.cluster, options.known);
    if (!key || !options.inScope(key.slice(0, key.indexOf('/')))) continue;
    const view = views.get(key);
    if (view && accountsFor(view, accountId, entity)) continue;
    const list = found.get(key) ?? [];
    list.push({ side: sideIn(view, accountId, entity.kind), kind: entity.kind, name: entity.name });
    found.set(key, list);
  }
  return found;
}
