import type { SchemaNode } from './openapi.js';

/**
 * Turns the CRD's OpenAPI schema (itself generated from the zod schema) into the rows of a field
 * reference: every field's path, type and what it means, with the constraints the API server enforces
 * spelled out. Reading the generated schema rather than zod keeps the reference identical to what
 * admission checks.
 */

export interface FieldRow {
  /** `role.trust.principals`, `policies[].custom.name`, relative to the documented root. */
  path: string;
  /** Go-like: `string`, `integer`, `[]object`, `map[string]string`, `any`. */
  type: string;
  /** The field's description followed by its constraints, as sentences. */
  text: string;
}

interface CelRule {
  rule: string;
  message: string;
}

const properties = (node: SchemaNode) => (node.properties ?? {}) as Record<string, SchemaNode>;

/** The field's type as `kubectl explain` would show it. */
function typeOf(node: SchemaNode): string {
  if (node.type === 'array') return `[]${typeOf(node.items as SchemaNode)}`;
  const values = node.additionalProperties as SchemaNode | undefined;
  if (node.type === 'object' && values && !values['x-kubernetes-preserve-unknown-fields'])
    return `map[string]${typeOf(values)}`;
  return typeof node.type === 'string' ? node.type : 'any';
}

const code = (value: unknown) =>
  `\`${typeof value === 'string' && value !== '' ? value : JSON.stringify(value)}\``;

function range(min: unknown, max: unknown, unit: string): string | undefined {
  const low = typeof min === 'number' ? min : undefined;
  const high = typeof max === 'number' ? max : undefined;
  if (low !== undefined && high !== undefined) return `${low} to ${high}${unit}.`;
  if (high !== undefined) return `At most ${high}${unit}.`;
  if (low !== undefined) return `At least ${low}${unit}.`;
  return undefined;
}

/** The messages of the CEL rules on this node, but for transition rules (`self == oldSelf`). */
export function ruleMessages(node: SchemaNode): string[] {
  const rules = (node['x-kubernetes-validations'] ?? []) as CelRule[];
  return rules.filter((r) => r.rule !== 'self == oldSelf').map((r) => r.message);
}

function isImmutable(node: SchemaNode): boolean {
  const rules = (node['x-kubernetes-validations'] ?? []) as CelRule[];
  return rules.some((r) => r.rule === 'self == oldSelf');
}

/** The constraints the API server checks on this node, as sentences. */
function constraints(node: SchemaNode, required: boolean): string[] {
  const out: string[] = [];
  if (required) out.push('Required.');
  const values = node.enum as unknown[] | undefined;
  if (values)
    out.push(values.length === 1 ? `Must be ${code(values[0])}.` : `One of ${values.map(code).join(', ')}.`);
  if (node.default !== undefined) out.push(`Default ${code(node.default)}.`);
  if (typeof node.pattern === 'string') out.push(`Pattern ${code(node.pattern)}.`);
  const lengths = range(node.minLength, node.maxLength, ' characters');
  const numbers = range(node.minimum, node.maximum, '');
  const items = range(node.minItems, node.maxItems, ' items');
  for (const sentence of [lengths, numbers, items]) if (sentence) out.push(sentence);
  const listKeys = node['x-kubernetes-list-map-keys'] as string[] | undefined;
  if (listKeys) out.push(`Keyed by ${listKeys.map(code).join(', ')}.`);
  if (isImmutable(node)) out.push('Immutable.');
  for (const message of ruleMessages(node)) out.push(`Rule: ${message}.`);
  const each = node.items as SchemaNode | undefined;
  for (const message of each ? ruleMessages(each) : []) out.push(`Rule on each item: ${message}.`);
  return out;
}

/** Every field under `root` (not `root` itself), depth first in declaration order. */
export function fieldRows(root: SchemaNode, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set((root.required ?? []) as string[]);
  for (const [name, node] of Object.entries(properties(root))) {
    const path = `${prefix}${name}`;
    const description = typeof node.description === 'string' ? [node.description] : [];
    rows.push({
      path,
      type: typeOf(node),
      text: [...description, ...constraints(node, required.has(name))].join(' '),
    });
    const each = node.items as SchemaNode | undefined;
    if (each) rows.push(...fieldRows(each, `${path}[].`));
    else rows.push(...fieldRows(node, `${path}.`));
  }
  return rows;
}
