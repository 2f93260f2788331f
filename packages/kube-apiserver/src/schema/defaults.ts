/**
 * Defaulting, after k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting: a property's
 * `default` fills it when it is missing (or null while not nullable), but only when its parent object
 * exists; defaulting then descends into the result, so defaults nested in a defaulted object apply
 * too. Array items and additionalProperties values that are null (and not nullable) take their
 * schema's default.
 */
import { isRecord, type SchemaNode } from './schema-node.js';

function isNonNullableNull(value: unknown, schema: SchemaNode | undefined): boolean {
  return value === null && schema !== undefined && !schema.nullable;
}

/** Deep copy of a JSON value (defaults must never be shared between objects). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function applyDefaultsTo(value: unknown, schema: SchemaNode | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) {
      if (items?.hasDefault && isNonNullableNull(value[i], items)) value[i] = cloneJson(items.default);
      applyDefaultsTo(value[i], items);
    }
    return;
  }
  if (!isRecord(value)) return;
  if (schema.properties) {
    for (const [key, prop] of schema.properties) {
      if (!prop.hasDefault) continue;
      if (!(key in value) || isNonNullableNull(value[key], prop)) value[key] = cloneJson(prop.default);
    }
  }
  for (const key of Object.keys(value)) {
    const prop = schema.properties?.get(key);
    if (prop) {
      applyDefaultsTo(value[key], prop);
    } else if (typeof schema.additionalProperties === 'object') {
      const ap = schema.additionalProperties;
      if (ap.hasDefault && isNonNullableNull(value[key], ap)) value[key] = cloneJson(ap.default);
      applyDefaultsTo(value[key], ap);
    }
  }
}
