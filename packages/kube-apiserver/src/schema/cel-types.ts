/**
 * How a schema node looks to CEL (after k8s.io/apiextensions-apiserver schema/cel/model and
 * k8s.io/apiserver/pkg/cel): the static type the rule checker uses, and the conversion of an
 * unstructured value into a CEL value (integers become CEL int, objects maps with escaped property
 * names, int-or-string and preserved-unknown values dyn, date-time strings timestamps).
 */
import { isRecord, type SchemaNode } from './schema-node.js';

export type CheckType =
  | {
      kind:
        | 'dyn'
        | 'int'
        | 'uint'
        | 'double'
        | 'string'
        | 'bool'
        | 'bytes'
        | 'null'
        | 'type'
        | 'timestamp'
        | 'duration';
    }
  | { kind: 'list'; elem: CheckType }
  | { kind: 'map'; key: CheckType; value: CheckType }
  | { kind: 'object'; fields: Map<string, CheckType> };

export const DYN: CheckType = { kind: 'dyn' };

/** String formats CEL sees as other types (apiserver cel/common SchemaDeclType). */
const FORMAT_KINDS: Record<string, 'bytes' | 'duration' | 'timestamp'> = {
  byte: 'bytes',
  duration: 'duration',
  date: 'timestamp',
  'date-time': 'timestamp',
};

/** Turns format strings into CEL timestamp and duration values (planned once per environment). */
export interface CelFormatConverters {
  timestamp(text: string): unknown;
  duration(text: string): unknown;
}

/** The CEL value of a string with a format; the string itself when it does not parse. */
function formatValue(text: string, format: string, formats: CelFormatConverters): unknown {
  let converted: unknown = text;
  if (format === 'date-time') converted = formats.timestamp(text);
  else if (format === 'date') converted = formats.timestamp(`${text}T00:00:00Z`);
  else if (format === 'duration') converted = formats.duration(text);
  else if (format === 'byte') converted = new Uint8Array(Buffer.from(text, 'base64'));
  return converted instanceof Error ? text : converted;
}

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const PLAIN_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The CEL name of a property (`x-y` → `x__dash__y`), or undefined if it cannot be accessed from CEL. */
function escapeFieldName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (PLAIN_NAME.test(name) && !name.includes('__')) return name;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name
    .replaceAll('__', '__underscores__')
    .replaceAll('.', '__dot__')
    .replaceAll('-', '__dash__')
    .replaceAll('/', '__slash__');
}

function metaFields(): Map<string, CheckType> {
  const metadata: CheckType = {
    kind: 'object',
    fields: new Map([
      ['name', { kind: 'string' }],
      ['generateName', { kind: 'string' }],
    ]),
  };
  return new Map<string, CheckType>([
    ['apiVersion', { kind: 'string' }],
    ['kind', { kind: 'string' }],
    ['metadata', metadata],
  ]);
}

/**
 * The static CEL type of values under `node` (`resourceRoot` adds apiVersion/kind/metadata), or
 * undefined when CEL cannot see them: a property without a type (preserve-unknown-fields only), or a
 * list/map of such values, is not a field of its object at all (k8s.io/apiserver cel/common
 * SchemaDeclType). Strings with format byte/duration/date/date-time are bytes/duration/timestamp.
 */
export function checkTypeOf(node: SchemaNode, resourceRoot = node.embeddedResource): CheckType | undefined {
  if (node.intOrString) return DYN;
  switch (node.type) {
    case 'integer':
      return { kind: 'int' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'bool' };
    case 'string':
      return { kind: FORMAT_KINDS[node.format] ?? 'string' };
    case 'array': {
      const elem = node.items ? checkTypeOf(node.items) : undefined;
      return elem ? { kind: 'list', elem } : undefined;
    }
    case 'object': {
      if (typeof node.additionalProperties === 'object') {
        const value = checkTypeOf(node.additionalProperties);
        return value ? { kind: 'map', key: { kind: 'string' }, value } : undefined;
      }
      const fields = resourceRoot ? metaFields() : new Map<string, CheckType>();
      for (const [name, prop] of node.properties ?? []) {
        if (resourceRoot && (name === 'apiVersion' || name === 'kind' || name === 'metadata')) continue;
        const escaped = escapeFieldName(name);
        const type = checkTypeOf(prop);
        if (escaped !== undefined && type) fields.set(escaped, type);
      }
      return { kind: 'object', fields };
    }
    default:
      return undefined;
  }
}

/** A decoded JSON value of unknown schema as CEL sees it (dyn): integers as int. */
function untypedToCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(untypedToCel);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = untypedToCel(v);
    return out;
  }
  return value ?? null;
}

/** Converts an unstructured value under `node` into the CEL input value the rule sees as `self`. */
export function toCelValue(
  value: unknown,
  node: SchemaNode | undefined,
  formats?: CelFormatConverters,
): unknown {
  if (node === undefined || node.intOrString || node.type === '') return untypedToCel(value);
  if (value === null || value === undefined) return null;
  switch (node.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'number':
      return value;
    case 'string':
      return typeof value === 'string' && formats ? formatValue(value, node.format, formats) : value;
    case 'array':
      return Array.isArray(value) ? value.map((item) => toCelValue(item, node.items, formats)) : value;
    case 'object': {
      if (!isRecord(value)) return value;
      if (typeof node.additionalProperties === 'object') {
        const ap = node.additionalProperties;
        return new Map(Object.entries(value).map(([k, v]) => [k, toCelValue(v, ap, formats)]));
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === null) continue; // null fields are absent to CEL
        const prop = node.properties?.get(k);
        const escaped = escapeFieldName(k);
        if (escaped === undefined) continue;
        out[escaped] = prop ? toCelValue(v, prop, formats) : untypedToCel(v);
      }
      return out;
    }
    default:
      return value;
  }
}

export function typeName(t: CheckType): string {
  switch (t.kind) {
    case 'list':
      return `list(${typeName(t.elem)})`;
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case 'object':
      return 'object';
    default:
      return t.kind;
  }
}
