/**
 * A typed view of one node of a CRD's `openAPIV3Schema` (apiextensions.k8s.io/v1 JSONSchemaProps).
 * Built once per CRD version; every other module walks these nodes instead of raw JSON.
 */

/** One `x-kubernetes-validations` entry, as written in the CRD. */
export interface RawValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface SchemaNode {
  /** The raw JSONSchemaProps object this node was read from. */
  raw: Record<string, unknown>;
  /** '' when absent (allowed only with int-or-string or preserve-unknown-fields). */
  type: string;
  format: string;
  nullable: boolean;
  properties: Map<string, SchemaNode> | undefined;
  /** A schema for map values, `true` (any value kept), `false`, or undefined (absent). */
  additionalProperties: SchemaNode | boolean | undefined;
  items: SchemaNode | undefined;
  required: string[];
  enum: unknown[] | undefined;
  hasDefault: boolean;
  default: unknown;
  pattern: string | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  minItems: number | undefined;
  maxItems: number | undefined;
  minProperties: number | undefined;
  maxProperties: number | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: boolean;
  exclusiveMaximum: boolean;
  multipleOf: number | undefined;
  allOf: SchemaNode[];
  anyOf: SchemaNode[];
  oneOf: SchemaNode[];
  not: SchemaNode | undefined;
  intOrString: boolean;
  preserveUnknownFields: boolean;
  embeddedResource: boolean;
  listType: string | undefined;
  listMapKeys: string[];
  mapType: string | undefined;
  validations: RawValidationRule[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(raw: Record<string, unknown>, key: string): number | undefined {
  const v = raw[key];
  return typeof v === 'number' ? v : undefined;
}

function str(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  return typeof v === 'string' ? v : undefined;
}

function nodes(raw: Record<string, unknown>, key: string): SchemaNode[] {
  const v = raw[key];
  return Array.isArray(v) ? v.filter(isRecord).map(readSchemaNode) : [];
}

function readRules(value: unknown): RawValidationRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((r) => {
    const rule: RawValidationRule = { rule: typeof r.rule === 'string' ? r.rule : '' };
    if (typeof r.message === 'string') rule.message = r.message;
    if (typeof r.messageExpression === 'string') rule.messageExpression = r.messageExpression;
    if (typeof r.reason === 'string') rule.reason = r.reason;
    if (typeof r.fieldPath === 'string') rule.fieldPath = r.fieldPath;
    if (typeof r.optionalOldSelf === 'boolean') rule.optionalOldSelf = r.optionalOldSelf;
    return rule;
  });
}

/** Reads a raw JSONSchemaProps object (recursively). Never throws; shape errors are the structural check's job. */
export function readSchemaNode(raw: Record<string, unknown>): SchemaNode {
  let properties: Map<string, SchemaNode> | undefined;
  if (isRecord(raw.properties)) {
    properties = new Map();
    for (const [name, value] of Object.entries(raw.properties)) {
      if (isRecord(value)) properties.set(name, readSchemaNode(value));
    }
  }
  const ap = raw.additionalProperties;
  const items = isRecord(raw.items) ? readSchemaNode(raw.items) : undefined;
  return {
    raw,
    type: str(raw, 'type') ?? '',
    format: str(raw, 'format') ?? '',
    nullable: raw.nullable === true,
    properties,
    additionalProperties: typeof ap === 'boolean' ? ap : isRecord(ap) ? readSchemaNode(ap) : undefined,
    items,
    required: Array.isArray(raw.required)
      ? raw.required.filter((r): r is string => typeof r === 'string')
      : [],
    enum: Array.isArray(raw.enum) ? raw.enum : undefined,
    hasDefault: 'default' in raw && raw.default !== undefined,
    default: raw.default,
    pattern: str(raw, 'pattern'),
    minLength: num(raw, 'minLength'),
    maxLength: num(raw, 'maxLength'),
    minItems: num(raw, 'minItems'),
    maxItems: num(raw, 'maxItems'),
    minProperties: num(raw, 'minProperties'),
    maxProperties: num(raw, 'maxProperties'),
    minimum: num(raw, 'minimum'),
    maximum: num(raw, 'maximum'),
    exclusiveMinimum: raw.exclusiveMinimum === true,
    exclusiveMaximum: raw.exclusiveMaximum === true,
    multipleOf: num(raw, 'multipleOf'),
    allOf: nodes(raw, 'allOf'),
    anyOf: nodes(raw, 'anyOf'),
    oneOf: nodes(raw, 'oneOf'),
    not: isRecord(raw.not) ? readSchemaNode(raw.not) : undefined,
    intOrString: raw['x-kubernetes-int-or-string'] === true,
    preserveUnknownFields: raw['x-kubernetes-preserve-unknown-fields'] === true,
    embeddedResource: raw['x-kubernetes-embedded-resource'] === true,
    listType: str(raw, 'x-kubernetes-list-type'),
    listMapKeys: Array.isArray(raw['x-kubernetes-list-map-keys'])
      ? raw['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string')
      : [],
    mapType: str(raw, 'x-kubernetes-map-type'),
    validations: readRules(raw['x-kubernetes-validations']),
  };
}

/** The schema that governs values under an object key: a declared property, else additionalProperties. */
export function schemaForKey(node: SchemaNode, key: string): SchemaNode | undefined {
  const prop = node.properties?.get(key);
  if (prop) return prop;
  return typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
}
