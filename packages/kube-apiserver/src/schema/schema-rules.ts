/**
 * The per-node rules apiextensions applies to every JSONSchemaProps of a CRD beyond structurality
 * (pkg/apis/apiextensions/validation ValidateCustomResourceDefinitionOpenAPISchema): supported
 * types and keywords, `uniqueItems`, `additionalProperties` next to `properties`, the
 * x-kubernetes-list-type / map-type extensions and the static shape of `x-kubernetes-validations`
 * entries (their CEL is compiled separately, in rule-tree.ts).
 */
import type { FieldError } from './contract.js';
import { forbidden, invalid, notSupported, required } from './field-errors.js';
import { resolveRuleFieldPath } from './rule-field-path.js';
import { isRecord, readSchemaNode } from './schema-node.js';

type Raw = Record<string, unknown>;

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const UNSUPPORTED: [string, string][] = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

/**
 * Checks one schema node and everything below it; pushes errors in the real server's walk order.
 * `noDefaults` is why `default` is forbidden here (top-level apiVersion/kind/metadata), '' if allowed.
 */
export function validateSchemaRules(
  raw: Raw,
  path: string,
  errors: FieldError[],
  noDefaults = '',
  root = false,
): void {
  const type = typeof raw.type === 'string' ? raw.type : '';
  if (noDefaults !== '' && raw.default !== undefined)
    errors.push(forbidden(`${path}.default`, `must not be set ${noDefaults}`));
  if (type === 'null')
    errors.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  else if (type !== '' && !TYPES.includes(type)) errors.push(notSupported(`${path}.type`, type, TYPES));
  for (const [key, detail] of UNSUPPORTED)
    if (raw[key] !== undefined) errors.push(forbidden(`${path}.${key}`, detail));
  if (Array.isArray(raw.items))
    errors.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (raw.uniqueItems === true) {
    errors.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const hasProperties = isRecord(raw.properties) && Object.keys(raw.properties).length > 0;
  if (raw.additionalProperties !== undefined && hasProperties && raw.additionalProperties !== true) {
    errors.push(
      forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
    );
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = raw[key];
    if (Array.isArray(list))
      list.forEach(
        (s, i) => isRecord(s) && validateSchemaRules(s, `${path}.${key}[${i}]`, errors, noDefaults),
      );
  }
  if (isRecord(raw.not)) validateSchemaRules(raw.not, `${path}.not`, errors, noDefaults);
  if (isRecord(raw.properties)) {
    for (const [name, s] of Object.entries(raw.properties)) {
      if (!isRecord(s)) continue;
      const meta = root && ['apiVersion', 'kind', 'metadata'].includes(name);
      validateSchemaRules(
        s,
        `${path}.properties[${name}]`,
        errors,
        meta ? `in top-level ${name}` : noDefaults,
      );
    }
  }
  if (isRecord(raw.additionalProperties))
    validateSchemaRules(raw.additionalProperties, `${path}.additionalProperties`, errors, noDefaults);
  if (isRecord(raw.items)) validateSchemaRules(raw.items, `${path}.items`, errors, noDefaults);
  if (raw['x-kubernetes-preserve-unknown-fields'] === false) {
    errors.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  }
  mapAndListTypes(raw, type, path, errors);
  validationShapes(raw, path, errors);
}

function mapAndListTypes(raw: Raw, type: string, path: string, errors: FieldError[]): void {
  const mapType = raw['x-kubernetes-map-type'];
  if (typeof mapType === 'string') {
    if (type === '')
      errors.push(required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified'));
    else if (type !== 'object')
      errors.push(invalid(`${path}.type`, type, 'must be object if x-kubernetes-map-type is specified'));
    if (mapType !== 'atomic' && mapType !== 'granular')
      errors.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  }
  const listType = raw['x-kubernetes-list-type'];
  const keys = Array.isArray(raw['x-kubernetes-list-map-keys'])
    ? (raw['x-kubernetes-list-map-keys'] as unknown[])
    : [];
  const items = isRecord(raw.items) ? raw.items : undefined;
  if (typeof listType === 'string') {
    if (type === '')
      errors.push(required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
    else if (type !== 'array')
      errors.push(invalid(`${path}.type`, type, 'must be array if x-kubernetes-list-type is specified'));
    if (!['atomic', 'set', 'map'].includes(listType))
      errors.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
    if (listType === 'set' && items && (items.type === 'object' || items.type === 'array')) {
      const itemListType = items['x-kubernetes-list-type'];
      const itemMapType = items['x-kubernetes-map-type'];
      if (items.type === 'array' && itemListType !== 'atomic') {
        errors.push(
          invalid(
            `${path}.items.x-kubernetes-list-type`,
            itemListType ?? null,
            'must be atomic as item of a list with x-kubernetes-list-type=set',
          ),
        );
      }
      if (items.type === 'object' && itemMapType !== 'atomic') {
        errors.push(
          invalid(
            `${path}.items.x-kubernetes-map-type`,
            itemListType ?? null,
            'must be atomic as item of a list with x-kubernetes-list-type=set',
          ),
        );
      }
    }
  }
  if (keys.length > 0 && listType !== 'map') {
    if (listType === undefined)
      errors.push(
        required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'),
      );
    else
      errors.push(
        invalid(
          `${path}.x-kubernetes-list-type`,
          listType,
          'must be map if x-kubernetes-list-map-keys is non-empty',
        ),
      );
  }
  if (listType !== 'map') return;
  if (keys.length === 0)
    errors.push(
      required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'),
    );
  if (!items) {
    errors.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    return;
  }
  if (items.type !== 'object') {
    errors.push(
      invalid(
        `${path}.items.type`,
        items.type ?? '',
        "must be object if parent array's x-kubernetes-list-type is map",
      ),
    );
    return;
  }
  const itemProps = isRecord(items.properties) ? items.properties : {};
  const itemRequired = Array.isArray(items.required) ? items.required : [];
  if (keys.some((k) => typeof k !== 'string' || !isRecord(itemProps[k]))) {
    errors.push(
      invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'),
    );
  } else if (new Set(keys).size !== keys.length) {
    errors.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
  }
  for (const k of keys) {
    const prop = typeof k === 'string' ? itemProps[k] : undefined;
    if (!isRecord(prop)) continue;
    if (prop.type === 'object' || prop.type === 'array') {
      errors.push(
        invalid(
          `${path}.items.properties[${k as string}].type`,
          prop.type,
          "must be a scalar type if parent array's x-kubernetes-list-type is map",
        ),
      );
    }
    if (prop.default === undefined && !itemRequired.includes(k)) {
      errors.push(
        required(
          `${path}.items.properties[${k as string}].default`,
          'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
        ),
      );
    }
    if (prop.nullable === true) {
      errors.push(
        forbidden(
          `${path}.items.properties[${k as string}].nullable`,
          'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
        ),
      );
    }
  }
}

function validationShapes(raw: Raw, path: string, errors: FieldError[]): void {
  const rules = raw['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return;
  rules.forEach((entry, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    const r = isRecord(entry) ? entry : {};
    const rule = typeof r.rule === 'string' ? r.rule.trim() : '';
    const message = typeof r.message === 'string' ? r.message : undefined;
    if (rule === '') errors.push(required(`${p}.rule`, 'rule is not specified'));
    else if (message !== undefined && message.length > 0 && message.trim() === '')
      errors.push(invalid(`${p}.message`, message, 'must be non-empty if specified'));
    else if (message !== undefined && /\n/.test(message.trim()))
      errors.push(invalid(`${p}.message`, message, 'must not contain line breaks'));
    else if (/\n/.test(rule) && (message ?? '').trim() === '')
      errors.push(required(`${p}.message`, 'message must be specified if rule contains line breaks'));
    if (
      typeof r.messageExpression === 'string' &&
      r.messageExpression.length > 0 &&
      r.messageExpression.trim() === ''
    ) {
      errors.push(required(`${p}.messageExpression`, 'messageExpression must be non-empty if specified'));
    }
    if (typeof r.reason === 'string' && !REASONS.includes(r.reason))
      errors.push(notSupported(`${p}.reason`, r.reason, REASONS));
    if (typeof r.fieldPath === 'string') {
      if (r.fieldPath.length > 0 && r.fieldPath.trim() === '')
        errors.push(invalid(`${p}.fieldPath`, r.fieldPath, 'must be non-empty if specified'));
      if (/\n/.test(r.fieldPath))
        errors.push(invalid(`${p}.fieldPath`, r.fieldPath, 'must not contain line breaks'));
      else if (
        r.fieldPath.trim() !== '' &&
        resolveRuleFieldPath(readSchemaNode(raw), r.fieldPath) === undefined
      )
        errors.push(invalid(`${p}.fieldPath`, r.fieldPath, 'must be a valid path'));
    }
  });
}
