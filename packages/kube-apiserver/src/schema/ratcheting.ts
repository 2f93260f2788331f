/**
 * Validation ratcheting on update (CRDValidationRatcheting, on by default since Kubernetes 1.30):
 * errors in a part of the object that did not change are dropped, so an object that became invalid
 * under a newer schema can still be updated elsewhere. A node's old value is found through its parent
 * (apiextensions-apiserver ratcheting.go with apiserver cel/common CorrelatedObject): object fields
 * by name (both sides must have it), list items by key in list-type=map, by value in sets, by index
 * when no list type is set, never in atomic lists.
 */
import { isRecord, type SchemaNode } from './schema-node.js';

/** The correlated old value of a node; undefined when there is none. */
export type OldValue = { value: unknown } | undefined;

function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualJson(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqualJson(a[k], b[k]));
  }
  return false;
}

/** Whether `value` is unchanged from its correlated old value (its errors are then ratcheted). */
export function unchanged(value: unknown, old: OldValue): boolean {
  return old !== undefined && deepEqualJson(value, old.value);
}

/** The old value of field `key` when both the old and the new object have it. */
export function oldField(old: OldValue, key: string): OldValue {
  if (!old || !isRecord(old.value) || !(key in old.value)) return undefined;
  return { value: old.value[key] };
}

/** The old value of the new list's item `index`, by the list's correlation rule. */
export function oldItem(list: SchemaNode, old: OldValue, item: unknown, index: number): OldValue {
  if (!old || !Array.isArray(old.value)) return undefined;
  const oldList = old.value;
  switch (list.listType) {
    case undefined:
      return index < oldList.length ? { value: oldList[index] } : undefined;
    case 'set':
      return oldList.some((o) => deepEqualJson(o, item)) ? { value: item } : undefined;
    case 'map': {
      if (!isRecord(item)) return undefined;
      const match: unknown = oldList.find(
        (o) => isRecord(o) && list.listMapKeys.every((k) => deepEqualJson(o[k], item[k])),
      );
      return match === undefined ? undefined : { value: match };
    }
    default:
      return undefined;
  }
}
