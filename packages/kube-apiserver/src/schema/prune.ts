/**
 * Pruning of unknown fields, after k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning:
 * fields the schema does not specify are dropped, except under `x-kubernetes-preserve-unknown-fields`
 * (where known fields are still pruned recursively) and at the resource roots (the object itself and
 * `x-kubernetes-embedded-resource` nodes), where apiVersion, kind and metadata are never pruned.
 */
import { isRecord, type SchemaNode } from './schema-node.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes `object` in place against its root schema; returns the removed paths (`spec.foo`, `spec.a[0].b`). */
export function pruneObject(object: Record<string, unknown>, root: SchemaNode): string[] {
  const pruned: string[] = [];
  pruneValue(object, root, '', true, pruned);
  return pruned;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function pruneValue(
  value: unknown,
  schema: SchemaNode | undefined,
  path: string,
  resourceRoot: boolean,
  pruned: string[],
): void {
  if (Array.isArray(value)) {
    if (schema?.preserveUnknownFields && schema.items === undefined) return;
    value.forEach((item, i) =>
      pruneValue(item, schema?.items, `${path}[${i}]`, schema?.items?.embeddedResource ?? false, pruned),
    );
    return;
  }
  if (!isRecord(value)) return;
  if (schema === undefined) {
    for (const key of Object.keys(value)) {
      pruned.push(join(path, key));
      delete value[key];
    }
    return;
  }
  for (const key of Object.keys(value)) {
    if (resourceRoot && META_FIELDS.has(key)) continue;
    const child = value[key];
    const prop = schema.properties?.get(key);
    const childPath = join(path, key);
    if (prop) {
      pruneValue(child, prop, childPath, prop.embeddedResource, pruned);
    } else if (typeof schema.additionalProperties === 'object') {
      const ap = schema.additionalProperties;
      pruneValue(child, ap, childPath, ap.embeddedResource, pruned);
    } else if (schema.additionalProperties === true || schema.preserveUnknownFields) {
      continue;
    } else {
      pruned.push(childPath);
      delete value[key];
    }
  }
}

/** Prunes any value against `schema` (as the root of a default value); returns the removed paths. */
export function pruneUnder(value: unknown, schema: SchemaNode): string[] {
  const pruned: string[] = [];
  pruneValue(value, schema, '', schema.embeddedResource, pruned);
  return pruned;
}
