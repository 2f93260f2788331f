/**
 * The structural-schema rules a CRD's `openAPIV3Schema` must obey (apiextensions-apiserver
 * pkg/apiserver/schema/validation.go and complete.go): every specified node has a `type` (unless
 * int-or-string or preserve-unknown-fields), arrays have `items`, no `additionalProperties` at the
 * root, `metadata` at the root restricts at most name/generateName, and value validations
 * (allOf/anyOf/oneOf/not) only add constraints to fields the structural part already specifies.
 * Errors are sorted by message, as the real server does.
 */
import type { FieldError } from './contract.js';
import { forbidden, invalid, required } from './field-errors.js';
import { goRegexpError } from './go-regexp.js';
import { isRecord } from './schema-node.js';

type Level = 'root' | 'item' | 'field';
type Raw = Record<string, unknown>;

const NESTED_FORBIDDEN: [string, string][] = [
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
];

const NESTED_EXTENSIONS: [string, string][] = [
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];

function props(raw: Raw): [string, Raw][] {
  return isRecord(raw.properties)
    ? Object.entries(raw.properties).filter((e): e is [string, Raw] => isRecord(e[1]))
    : [];
}

function schemas(raw: Raw, key: string): Raw[] {
  const v = raw[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function isIntOrStringAnyOf(anyOf: Raw[]): boolean {
  return (
    anyOf.length === 2 &&
    anyOf[0]?.type === 'integer' &&
    anyOf[1]?.type === 'string' &&
    anyOf.every((s) => Object.keys(s).length === 1)
  );
}

/** Structural errors of the schema rooted at `path` (e.g. `spec.versions[0].schema.openAPIV3Schema`). */
export function validateStructural(root: Raw, path: string): FieldError[] {
  const errors: FieldError[] = [];
  invariants(root, 'root', path, errors);
  completeness(root, path, errors);
  return errors.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

function invariants(raw: Raw, level: Level, path: string, errors: FieldError[]): void {
  const type = typeof raw.type === 'string' ? raw.type : '';
  const items = isRecord(raw.items) ? raw.items : undefined;
  if (type === 'array' && !items) errors.push(required(`${path}.items`, 'must be specified'));
  if (items) invariants(items, 'item', `${path}.items`, errors);
  for (const [name, sub] of props(raw)) invariants(sub, 'field', `${path}.properties[${name}]`, errors);
  if (raw.additionalProperties !== undefined) {
    if (level === 'root')
      errors.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isRecord(raw.additionalProperties))
      invariants(raw.additionalProperties, 'field', `${path}.additionalProperties`, errors);
  }
  const intOrString = raw['x-kubernetes-int-or-string'] === true;
  const preserve = raw['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = raw['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    errors.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (intOrString && embedded) {
    errors.push(
      invalid(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  valueValidation(raw, level, path, errors, true);

  if (embedded && type !== 'object') {
    if (type === '')
      errors.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else
      errors.push(invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type === '' && !intOrString && !preserve) {
    const detail = {
      root: 'must not be empty at the root',
      item: 'must not be empty for specified array items',
      field: 'must not be empty for specified object fields',
    }[level];
    errors.push(required(`${path}.type`, detail));
  }
  if (embedded && raw.additionalProperties !== undefined) {
    errors.push(
      forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
    );
  }
  if (level === 'root' && type !== '' && type !== 'object')
    errors.push(invalid(`${path}.type`, type, 'must be object at the root'));
  const checkMetadata = level === 'root' || embedded;
  const properties = new Map(props(raw));
  for (const name of ['kind', 'apiVersion']) {
    const p = properties.get(name);
    if (p && checkMetadata && p.type !== 'string')
      errors.push(invalid(`${path}.properties[${name}].type`, p.type ?? '', 'must be string'));
  }
  const metadata = properties.get('metadata');
  if (metadata) metadataInvariants(metadata, checkMetadata, level, `${path}.properties[metadata]`, errors);
  if (embedded && !preserve && properties.size === 0) {
    errors.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
}

function metadataInvariants(
  raw: Raw,
  checkMetadata: boolean,
  level: Level,
  path: string,
  errors: FieldError[],
): void {
  if (checkMetadata && raw.type !== 'object')
    errors.push(invalid(`${path}.type`, raw.type ?? '', 'must be object'));
  if (level !== 'root') return;
  const names = props(raw).map(([n]) => n);
  const onlyNames =
    names.length > 0 && names.length <= 2 && names.every((n) => n === 'name' || n === 'generateName');
  // Zero values (false, '', []) are absent to the Go struct comparison this mirrors.
  const isZero = (v: unknown): boolean =>
    v === false || v === '' || v === null || (Array.isArray(v) && v.length === 0);
  const extra = Object.keys(raw).filter(
    (k) => k !== 'type' && k !== 'default' && !(k === 'properties' && onlyNames) && !isZero(raw[k]),
  );
  if (extra.length > 0) {
    errors.push(
      forbidden(
        path,
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
  }
}

/** Checks allOf/anyOf/oneOf/not below a node (`top`: the node itself is structural, not nested). */
function valueValidation(raw: Raw, level: Level, path: string, errors: FieldError[], top: boolean): void {
  const skipAnyOf =
    top && raw['x-kubernetes-int-or-string'] === true && isIntOrStringAnyOf(schemas(raw, 'anyOf'));
  const allOf = schemas(raw, 'allOf');
  const skipFirstAllOfAnyOf =
    top &&
    raw['x-kubernetes-int-or-string'] === true &&
    isIntOrStringAnyOf(allOf[0] ? schemas(allOf[0], 'anyOf') : []);
  if (!skipAnyOf)
    schemas(raw, 'anyOf').forEach((s, i) => nested(s, level, `${path}.anyOf[${i}]`, errors, false));
  allOf.forEach((s, i) => nested(s, level, `${path}.allOf[${i}]`, errors, skipFirstAllOfAnyOf && i === 0));
  schemas(raw, 'oneOf').forEach((s, i) => nested(s, level, `${path}.oneOf[${i}]`, errors, false));
  if (isRecord(raw.not)) nested(raw.not, level, `${path}.not`, errors, false);
  if (typeof raw.pattern === 'string') {
    const problem = goRegexpError(raw.pattern);
    if (problem !== undefined) {
      errors.push(
        invalid(`${path}.pattern`, raw.pattern, `must be a valid regular expression, but isn't: ${problem}`),
      );
    }
  }
}

function nested(raw: Raw, level: Level, path: string, errors: FieldError[], skipAnyOf: boolean): void {
  if (!skipAnyOf)
    schemas(raw, 'anyOf').forEach((s, i) => nested(s, level, `${path}.anyOf[${i}]`, errors, false));
  schemas(raw, 'allOf').forEach((s, i) => nested(s, level, `${path}.allOf[${i}]`, errors, false));
  schemas(raw, 'oneOf').forEach((s, i) => nested(s, level, `${path}.oneOf[${i}]`, errors, false));
  if (isRecord(raw.not)) nested(raw.not, level, `${path}.not`, errors, false);
  if (isRecord(raw.items)) nested(raw.items, level, `${path}.items`, errors, false);
  for (const [name, sub] of props(raw)) nested(sub, 'field', `${path}.properties[${name}]`, errors, false);
  if (typeof raw.type === 'string' && raw.type !== '')
    errors.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (raw.additionalProperties !== undefined)
    errors.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  for (const [key, detail] of NESTED_FORBIDDEN)
    if (raw[key] !== undefined && raw[key] !== '') errors.push(forbidden(`${path}.${key}`, detail));
  if (raw.nullable === true) errors.push(forbidden(`${path}.nullable`, 'must be false to be structural'));
  for (const [key, detail] of NESTED_EXTENSIONS) {
    const v = raw[key];
    if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))
      errors.push(forbidden(`${path}.${key}`, detail));
  }
  if (props(raw).some(([n]) => n === 'metadata'))
    errors.push(forbidden(`${path}.properties[metadata]`, 'must not be specified in a nested context'));
  if (typeof raw.pattern === 'string') valueValidation({ pattern: raw.pattern }, level, path, errors, false);
}

/** Every property or items a value validation mentions must exist in the structural schema. */
function completeness(raw: Raw, path: string, errors: FieldError[]): void {
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    schemas(raw, key).forEach((v, i) => nestedCompleteness(v, raw, path, `${path}.${key}[${i}]`, errors));
  }
  if (isRecord(raw.not)) nestedCompleteness(raw.not, raw, path, `${path}.not`, errors);
  if (isRecord(raw.items)) completeness(raw.items, `${path}.items`, errors);
  if (isRecord(raw.additionalProperties))
    completeness(raw.additionalProperties, `${path}.additionalProperties`, errors);
  for (const [name, sub] of props(raw)) completeness(sub, `${path}.properties[${name}]`, errors);
}

function nestedCompleteness(
  v: Raw,
  s: Raw | undefined,
  sPath: string,
  vPath: string,
  errors: FieldError[],
): void {
  if (!s) {
    errors.push(required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    schemas(v, key).forEach((sub, i) => nestedCompleteness(sub, s, sPath, `${vPath}.${key}[${i}]`, errors));
  }
  if (isRecord(v.not)) nestedCompleteness(v.not, s, sPath, `${vPath}.not`, errors);
  if (isRecord(v.items))
    nestedCompleteness(
      v.items,
      isRecord(s.items) ? s.items : undefined,
      `${sPath}.items`,
      `${vPath}.items`,
      errors,
    );
  const sProps = new Map(props(s));
  for (const [name, sub] of props(v)) {
    const target = sProps.get(name);
    if (!target)
      errors.push(
        required(`${sPath}.properties[${name}]`, `because it is defined in ${vPath}.properties[${name}]`),
      );
    else
      nestedCompleteness(sub, target, `${sPath}.properties[${name}]`, `${vPath}.properties[${name}]`, errors);
  }
}
