/**
 * Comparing RAM policy documents (permission and trust policies) by meaning rather than by text.
 *
 * RAM hands documents back as it stored them, and people edit them in the console with other formatting,
 * so a textual comparison would "correct" documents that already say exactly what the spec says. Two
 * documents are equal here when they grant the same thing in a way that cannot depend on formatting:
 *
 * - whitespace and the order of object keys never matter;
 * - the order of statements and of list entries never matters, and duplicate entries count once;
 * - a single string equals a one-element list (Action, Resource, Principal entries, Condition operands);
 * - Action names compare case-insensitively (RAM treats `ecs:DescribeInstances` and `ECS:describeinstances`
 *   alike); so do RAM role ARNs (`acs:ram:*:<account>:role/<name>`) in Resource and Principal, because
 *   role names are case-insensitive and RAM may hand a role's ARN back lower-cased; other Resource,
 *   Principal and Condition values keep their case, because RAM matches them exactly;
 * - Condition operands that are numbers or booleans equal their string forms (`true` = `"true"`);
 * - `Version: 1` equals `Version: "1"`.
 *
 * Caveat: this is structural, not semantic set logic. Two statements that together grant what one
 * merged statement grants are NOT considered equal; the engine then writes the spec's form, which is
 * harmless and converges.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Statement keys whose values are lists of case-insensitive action names. */
const ACTION_KEYS = new Set(['action', 'notaction']);
/** Statement keys whose values are lists of case-sensitive strings. */
const LIST_KEYS = new Set(['resource', 'notresource']);
/** Statement keys holding `{ <type>: string | string[] }` principal maps. */
const PRINCIPAL_KEYS = new Set(['principal', 'notprincipal']);

/**
 * The canonical JSON text of a policy document: equal for two documents exactly when
 * {@link policiesEqual} says they mean the same. A string that is not valid JSON is returned trimmed
 * (it can then only equal itself).
 */
export function canonicalPolicy(document: string | object): string {
  let parsed: unknown;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return document.trim();
    }
  } else {
    parsed = document;
  }
  return JSON.stringify(sortKeys(canonicalDocument(parsed)));
}

/** Whether two policy documents (JSON strings or objects) mean the same; see the module comment. */
export function policiesEqual(a: string | object, b: string | object): boolean {
  return canonicalPolicy(a) === canonicalPolicy(b);
}

/** Key order used when serializing a policy for RAM: the order people read policies in. */
const KEY_ORDER = [
  'Version',
  'Statement',
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

/**
 * The compact JSON text the engine sends to RAM for a document. Stable: the same document always yields
 * the same text (keys in a fixed order, list order as written), so the text itself never causes an update.
 */
export function serializePolicy(document: object): string {
  return JSON.stringify(orderKeys(document as Json));
}

function orderKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(orderKeys);
  if (value === null || typeof value !== 'object') return value;
  const rank = (key: string): number => {
    const index = KEY_ORDER.indexOf(key);
    return index === -1 ? KEY_ORDER.length : index;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, Json> = {};
  for (const key of keys) {
    const child = value[key];
    if (child !== undefined) out[key] = orderKeys(child);
  }
  return out;
}

function canonicalDocument(value: unknown): Json {
  if (!isObject(value)) return toJson(value);
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (lower === 'version') {
      out.Version = typeof child === 'number' ? String(child) : toJson(child);
    } else if (lower === 'statement') {
      const statements = (Array.isArray(child) ? child : [child]).map(canonicalStatement);
      out.Statement = uniqueSorted(statements);
    } else {
      out[key] = toJson(child);
    }
  }
  return out;
}

function canonicalStatement(value: unknown): Json {
  if (!isObject(value)) return toJson(value);
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (ACTION_KEYS.has(lower)) {
      out[key] = stringList(child, (s) => s.toLowerCase());
    } else if (LIST_KEYS.has(lower)) {
      out[key] = stringList(child, roleArnCase);
    } else if (PRINCIPAL_KEYS.has(lower)) {
      out[key] = isObject(child)
        ? mapValues(child, (v) => stringList(v, roleArnCase))
        : stringList(child, roleArnCase);
    } else if (lower === 'condition' && isObject(child)) {
      out[key] = mapValues(child, (operands) =>
        isObject(operands) ? mapValues(operands, (v) => stringList(v)) : toJson(operands),
      );
    } else if (lower === 'sid') {
      // A statement id is a label, not a grant: two documents differing only in Sid mean the same.
      continue;
    } else {
      out[key] = toJson(child);
    }
  }
  return out;
}

const ROLE_ARN = /^acs:ram:[^:]*:[^:]*:role\//i;

/** RAM role ARNs lower-cased (RAM compares them regardless of case); anything else unchanged. */
function roleArnCase(value: string): string {
  return ROLE_ARN.test(value) ? value.toLowerCase() : value;
}

/** Whether two role ARNs name the same role, compared the way RAM does (regardless of case). */
export function sameRoleArn(a: string, b: string): boolean {
  return roleArnCase(a) === roleArnCase(b);
}

/** A string, scalar or list as a sorted, duplicate-free list of strings. */
function stringList(value: unknown, normalize: (s: string) => string = (s) => s): Json {
  const items = Array.isArray(value) ? value : [value];
  if (
    !items.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
  ) {
    return toJson(value);
  }
  return [...new Set(items.map((item) => normalize(String(item))))].sort();
}

function mapValues(value: Record<string, unknown>, f: (child: unknown) => Json): Json {
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) out[key] = f(child);
  return out;
}

/** Sorts canonical values by their canonical text and drops exact duplicates. */
function uniqueSorted(values: Json[]): Json[] {
  const byText = new Map<string, Json>();
  for (const value of values) byText.set(JSON.stringify(sortKeys(value)), value);
  return [...byText.keys()].sort().map((text) => byText.get(text) as Json);
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    const child = value[key];
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any parsed value as JSON, dropping `undefined` members the way JSON.stringify would. */
function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
