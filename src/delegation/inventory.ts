import type { InventoryStatus } from '../api/status.js';
import type { Change, Side } from './change.js';

/**
 * The record of what one delegation created and may still exist, by name (kept in
 * `status.inventory`; see docs/adr/0006-inventory-in-status.md). RAM is eventually consistent: a read
 * may not show an entity created a moment ago, and the tag index lags further. So the engine never
 * learns what is its own from listings. It records an entity before creating it (write-ahead), treats a
 * recorded entity as its own even while RAM does not show it or its tag, deletes recorded entities by
 * name, and drops an entity from the record only when a delete by name confirmed it gone.
 */
export interface Inventory {
  owner: { roleName?: string; roleArn?: string; policies: string[] };
  authorized: { users: string[]; groups: string[]; policies: string[] };
}

export type RecordedKind = 'role' | 'policy' | 'user' | 'group';

export interface RecordedEntity {
  side: Side;
  kind: RecordedKind;
  name: string;
}

export function emptyInventory(): Inventory {
  return { owner: { policies: [] }, authorized: { users: [], groups: [], policies: [] } };
}

/** The record as `status.inventory` holds it (any field may be missing). */
export function inventoryFromStatus(status: InventoryStatus | undefined): Inventory {
  const owner = status?.owner;
  const authorized = status?.authorized;
  return {
    owner: {
      ...(owner?.roleName ? { roleName: owner.roleName } : {}),
      ...(owner?.roleArn ? { roleArn: owner.roleArn } : {}),
      policies: [...(owner?.policies ?? [])],
    },
    authorized: {
      users: [...(authorized?.users ?? [])],
      groups: [...(authorized?.groups ?? [])],
      policies: [...(authorized?.policies ?? [])],
    },
  };
}

/** The record for `status.inventory`: names sorted, so equal records serialize equally. */
export function inventoryToStatus(inventory: Inventory): InventoryStatus {
  const sorted = (names: readonly string[]) => [...new Set(names)].sort();
  const { roleName, roleArn, policies } = inventory.owner;
  return {
    owner: {
      ...(roleName ? { roleName } : {}),
      ...(roleArn ? { roleArn } : {}),
      policies: sorted(policies),
    },
    authorized: {
      users: sorted(inventory.authorized.users),
      groups: sorted(inventory.authorized.groups),
      policies: sorted(inventory.authorized.policies),
    },
  };
}

/** Every entity of `extra` added to `base` (the sweep's findings join a delegation's record this way). */
export function withEntities(base: Inventory, extra: readonly RecordedEntity[]): Inventory {
  const next = structuredClone(base);
  for (const entity of extra) add(next, entity);
  return next;
}

function list(inventory: Inventory, side: Side, kind: RecordedKind): string[] | undefined {
  if (side === 'owner') return kind === 'policy' ? inventory.owner.policies : undefined;
  if (kind === 'user') return inventory.authorized.users;
  if (kind === 'group') return inventory.authorized.groups;
  if (kind === 'policy') return inventory.authorized.policies;
  return undefined;
}

function add(inventory: Inventory, { side, kind, name }: RecordedEntity): boolean {
  if (side === 'owner' && kind === 'role') {
    if (inventory.owner.roleName === name) return false;
    inventory.owner.roleName = name;
    return true;
  }
  const names = list(inventory, side, kind);
  if (!names || names.includes(name)) return false;
  names.push(name);
  return true;
}

function remove(inventory: Inventory, { side, kind, name }: RecordedEntity): void {
  if (side === 'owner' && kind === 'role') {
    if (inventory.owner.roleName === name) {
      delete inventory.owner.roleName;
      delete inventory.owner.roleArn;
    }
    return;
  }
  const names = list(inventory, side, kind);
  const index = names?.indexOf(name) ?? -1;
  if (names && index >= 0) names.splice(index, 1);
}

function contains(inventory: Inventory, { side, kind, name }: RecordedEntity): boolean {
  if (side === 'owner' && kind === 'role') return inventory.owner.roleName === name;
  return list(inventory, side, kind)?.includes(name) ?? false;
}

const keyOf = ({ side, kind, name }: RecordedEntity) => `${side}/${kind}/${name}`;

/** Writes the record durably (the operator: a patch of `status.inventory`) before a create goes out. */
export type PersistInventory = (next: Inventory) => Promise<void>;

/**
 * One pass's view of the record: what it held when the pass began, what the pass added before creating
 * (persisted first), and what it confirmed gone. The caller writes {@link snapshot} into the status at
 * the end of the pass, whether the pass succeeded or not.
 */
export class InventoryRecord {
  private readonly initial: Inventory;
  private current: Inventory;
  private readonly created = new Set<string>();

  constructor(
    initial: Inventory = emptyInventory(),
    private readonly persist: PersistInventory = async () => {},
  ) {
    this.initial = structuredClone(initial);
    this.current = structuredClone(initial);
  }

  has(entity: RecordedEntity): boolean {
    return contains(this.current, entity);
  }

  names(side: Side, kind: RecordedKind): string[] {
    if (side === 'owner' && kind === 'role')
      return this.current.owner.roleName ? [this.current.owner.roleName] : [];
    return [...(list(this.current, side, kind) ?? [])];
  }

  get roleArn(): string | undefined {
    return this.current.owner.roleArn;
  }

  /** Write-ahead: records `entities` before they are created; persists first when any is new. */
  async intend(entities: readonly RecordedEntity[]): Promise<void> {
    const next = structuredClone(this.current);
    const added = entities.map((entity) => add(next, entity)).some(Boolean);
    if (!added) return;
    await this.persist(next);
    this.current = next;
  }

  /**
   * Entities that exist and are this delegation's (a synced side's spec entities): recorded without a
   * write of their own, since losing this note loses nothing (the spec names them).
   */
  note(entities: readonly RecordedEntity[]): void {
    for (const entity of entities) add(this.current, entity);
  }

  /** An entity this pass created (so an `EntityAlreadyExists` for it later in the pass is only lag). */
  markCreated(entity: RecordedEntity): void {
    this.created.add(keyOf(entity));
  }

  /** Whether this pass created `entity`. */
  createdThisPass(entity: RecordedEntity): boolean {
    return this.created.has(keyOf(entity));
  }

  /**
   * Whether `EntityAlreadyExists` on creating `entity` can only be RAM lagging behind this delegation's
   * own create: it was recorded before this pass, or this pass created it. Otherwise someone else's
   * entity with that name exists.
   */
  isOwnUnseen(entity: RecordedEntity): boolean {
    return contains(this.initial, entity) || this.created.has(keyOf(entity));
  }

  /** A delete by name confirmed these gone. */
  gone(entities: readonly RecordedEntity[]): void {
    for (const entity of entities) remove(this.current, entity);
  }

  /** Drops an entity that turned out not to be this delegation's (see {@link isOwnUnseen}). */
  forget(entity: RecordedEntity): void {
    remove(this.current, entity);
  }

  /** The role ARN exactly as RAM returned it. */
  setRoleArn(arn: string): void {
    if (this.current.owner.roleName) this.current.owner.roleArn = arn;
  }

  snapshot(): Inventory {
    return structuredClone(this.current);
  }
}

const RECORDED_ENTITY = /^(role|policy|user|group)\/([^@/]+)$/;

/** The recorded entities a list of changes deleted (`Deleted role/x`, `Deleted policy/y`, ...). */
export function deletedEntities(changes: readonly Change[]): RecordedEntity[] {
  return changes.flatMap((change): RecordedEntity[] => {
    const match = change.verb === 'Deleted' ? RECORDED_ENTITY.exec(change.entity) : null;
    return match ? [{ side: change.side, kind: match[1] as RecordedKind, name: match[2] as string }] : [];
  });
}

/** The recorded entities a list of changes created. */
export function createdEntities(changes: readonly Change[]): RecordedEntity[] {
  return changes.flatMap((change): RecordedEntity[] => {
    const match = change.verb === 'Created' ? RECORDED_ENTITY.exec(change.entity) : null;
    return match ? [{ side: change.side, kind: match[1] as RecordedKind, name: match[2] as string }] : [];
  });
}
