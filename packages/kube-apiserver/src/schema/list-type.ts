/**
 * `x-kubernetes-list-type` uniqueness, after apiextensions-apiserver pkg/apiserver/schema/listtype:
 * a `set` may not repeat an item; a `map` may not repeat the tuple of its `x-kubernetes-list-map-keys`
 * (an item missing a key counts as "unspecified", and two unspecified keys collide). Each repeat after
 * the first is a `Duplicate value` error on that index.
 */
import type { FieldError } from './contract.js';
import { duplicate, invalid } from './field-errors.js';
import { goJson } from './go-format.js';
import { isRecord, schemaForKey, type SchemaNode } from './schema-node.js';

/** Walks `value` and reports list-type set/map duplicates under `path`. */
export function validateListTypes(
  value: unknown,
  node: SchemaNode | undefined,
  path: string,
  errors: FieldError[],
): void {
  if (node === undefined) return;
  if (Array.isArray(value)) {
    if (node.listType === 'set') {
      for (const i of repeatedIndices(value.map(goJson))) errors.push(duplicate(`${path}[${i}]`, value[i]));
    } else if (node.listType === 'map') {
      validateListMap(value, node, path, errors);
    }
    value.forEach((item, i) => validateListTypes(item, node.items, `${path}[${i}]`, errors));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : node.properties?.has(key) ? `${path}.${key}` : `${path}[${key}]`;
    validateListTypes(child, schemaForKey(node, key), childPath, errors);
  }
}

/** Indices of the second occurrence of each repeated key (later repeats are not reported again). */
function repeatedIndices(keys: string[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  keys.forEach((key, i) => {
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

function validateListMap(list: unknown[], node: SchemaNode, path: string, errors: FieldError[]): void {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item !== null && !isRecord(item)) {
      errors.push(invalid(`${path}[${i}]`, item, 'must be an object for an array of list-type map'));
      return;
    }
  }
  if (list.length <= 1) return;
  const keyTuples = list.map((item) => {
    const tuple: Record<string, unknown> = {};
    if (isRecord(item)) {
      for (const k of node.listMapKeys) if (k in item) tuple[k] = item[k];
    }
    return tuple;
  });
  for (const i of repeatedIndices(keyTuples.map(goJson)))
    errors.push(duplicate(`${path}[${i}]`, keyTuples[i]));
}
