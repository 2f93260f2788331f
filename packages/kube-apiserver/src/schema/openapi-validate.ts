/**
 * OpenAPI v3 value validation as k8s.io/kube-openapi `validate.SchemaValidator` does it, with its
 * errors converted to field errors the way apiextensions-apiserver pkg/apiserver/validation does
 * (`spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10`). Validators
 * run in kube-openapi's order: type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object.
 * Caveats: anyOf/oneOf report the first failing alternative's errors (kube-openapi picks the one with
 * the most passing checks); int32/float format range checks are not done.
 */
import type { FieldError } from './contract.js';
import { invalid, notSupported, required, tooLong, tooMany, typeInvalid } from './field-errors.js';
import { stringFormatChecker } from './formats.js';
import { goFloat, goJson } from './go-format.js';
import { compileGoRegexp } from './go-regexp.js';
import { oldField, oldItem, unchanged, type OldValue } from './ratcheting.js';
import { isRecord, type SchemaNode } from './schema-node.js';

/** JSON type name of a decoded value, as kube-openapi infers it. */
function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function schemaTypes(node: SchemaNode): string[] {
  if (node.intOrString) return ['integer', 'string'];
  return node.type === '' ? [] : [node.type];
}

function typeError(path: string, expected: string, actual: string): FieldError {
  return typeInvalid(path, actual, `${path} in body must be of type ${expected}: "${actual}"`);
}

/**
 * Validates `value` at `path` against `node`; pushes errors into `errors`. With `old` (on update) the
 * errors of a node equal to its correlated old value are dropped (ratcheting).
 */
export function validateValue(
  value: unknown,
  node: SchemaNode,
  path: string,
  errors: FieldError[],
  old?: OldValue,
): void {
  if (unchanged(value, old)) return;
  const types = schemaTypes(node);
  if (value === null || value === undefined) {
    if (types.length > 0 && !node.nullable) errors.push(typeError(path, types.join(','), 'null'));
    checkEnum(value, node, path, errors);
    return;
  }
  const actual = jsonTypeOf(value);
  const typeOk =
    types.length === 0 || types.includes(actual) || (actual === 'integer' && types.includes('number'));
  const formatExempt =
    types.every((t) => t !== 'integer' && t !== 'number') &&
    node.format !== '' &&
    (actual === 'string' || actual === 'array');
  if (!typeOk && !formatExempt) errors.push(typeError(path, types.join(','), actual));

  checkCombinators(value, node, path, errors);
  if (typeof value === 'string') {
    checkString(value, node, path, errors);
    const checker = node.format === '' ? undefined : stringFormatChecker(node.format);
    if (checker && !checker(value)) {
      errors.push(
        typeInvalid(path, value, `${path} in body must be of type ${node.format}: ${JSON.stringify(value)}`),
      );
    }
  }
  if (typeof value === 'number') checkNumber(value, node, path, errors);
  if (Array.isArray(value)) checkArray(value, node, path, errors, old);
  checkEnum(value, node, path, errors);
  if (isRecord(value)) checkObject(value, node, path, errors, old);
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function checkCombinators(value: unknown, node: SchemaNode, path: string, errors: FieldError[]): void {
  if (node.anyOf.length === 0 && node.oneOf.length === 0 && node.allOf.length === 0 && node.not === undefined)
    return;
  const run = (alt: SchemaNode): FieldError[] => {
    const out: FieldError[] = [];
    validateValue(value, alt, path, out);
    return out;
  };
  const composite = (message: string): FieldError => invalid('', '', message);
  if (node.anyOf.length > 0) {
    const results = node.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) {
      errors.push(composite(`"${path}" must validate at least one schema (anyOf)`));
      errors.push(...(results[0] ?? []));
    }
  }
  if (node.oneOf.length > 0) {
    const results = node.oneOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      errors.push(
        composite(
          `"${path}" must validate one and only one schema (oneOf). ${valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`}`,
        ),
      );
      if (valid === 0) errors.push(...(results[0] ?? []));
    }
  }
  if (node.allOf.length > 0) {
    const results = node.allOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    for (const r of results) errors.push(...r);
    if (valid !== results.length) {
      errors.push(
        composite(`"${path}" must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`),
      );
    }
  }
  if (node.not && run(node.not).length === 0) {
    errors.push(composite(`"${path}" must not validate the schema (not)`));
  }
}

function checkString(value: string, node: SchemaNode, path: string, errors: FieldError[]): void {
  const length = [...value].length;
  if (node.maxLength !== undefined && length > node.maxLength) {
    errors.push(tooLong(path, node.maxLength));
    return;
  }
  if (node.minLength !== undefined && length < node.minLength) {
    errors.push(invalid(path, value, `${path} in body should be at least ${node.minLength} chars long`));
    return;
  }
  if (node.pattern !== undefined && !compileGoRegexp(node.pattern).test(value)) {
    errors.push(invalid(path, value, `${path} in body should match '${node.pattern}'`));
  }
}

/** A bound as kube-openapi prints it: truncated to int64 for integer values, Go `%v` for floats. */
function bound(b: number, isInt: boolean): string {
  return isInt ? Math.trunc(b).toFixed(0) : goFloat(b);
}

function checkNumber(value: number, node: SchemaNode, path: string, errors: FieldError[]): void {
  if (
    node.type === 'integer' &&
    node.format === 'int32' &&
    Number.isInteger(value) &&
    (value < -(2 ** 31) || value >= 2 ** 31)
  ) {
    // kube-openapi's range check returns a plain error, which apiextensions reports at the nil path.
    errors.push(invalid('', '', `strconv.ParseInt: parsing "${value.toFixed(0)}": value out of range`));
  }
  if (node.multipleOf === undefined && node.minimum === undefined && node.maximum === undefined) return;
  const isInt = Number.isInteger(value);
  if (node.multipleOf !== undefined && node.multipleOf > 0) {
    const q = value / node.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errors.push(
        invalid(path, value, `${path} in body should be a multiple of ${bound(node.multipleOf, isInt)}`),
      );
    }
  }
  if (node.minimum !== undefined) {
    const min = isInt ? Math.trunc(node.minimum) : node.minimum;
    if (node.exclusiveMinimum ? value <= min : value < min) {
      const what = node.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errors.push(invalid(path, value, `${path} in body should be ${what} ${bound(node.minimum, isInt)}`));
    }
  }
  if (node.maximum !== undefined) {
    const max = isInt ? Math.trunc(node.maximum) : node.maximum;
    if (node.exclusiveMaximum ? value >= max : value > max) {
      const what = node.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errors.push(invalid(path, value, `${path} in body should be ${what} ${bound(node.maximum, isInt)}`));
    }
  }
}

function checkArray(
  value: unknown[],
  node: SchemaNode,
  path: string,
  errors: FieldError[],
  old: OldValue,
): void {
  if (node.items) {
    for (let i = 0; i < value.length; i++) {
      validateValue(value[i], node.items, `${path}[${i}]`, errors, oldItem(node, old, value[i], i));
    }
  }
  if (node.minItems !== undefined && value.length < node.minItems) {
    errors.push(invalid(path, value.length, `${path} in body should have at least ${node.minItems} items`));
  }
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    errors.push(tooMany(path, value.length, node.maxItems));
  }
}

function checkEnum(value: unknown, node: SchemaNode, path: string, errors: FieldError[]): void {
  if (node.enum === undefined || node.enum.length === 0) return;
  const seen = goJson(value);
  if (node.enum.some((allowed) => goJson(allowed) === seen)) return;
  const supported = node.enum.map((v) => (typeof v === 'string' ? v : goJson(v)));
  errors.push(notSupported(path, value ?? null, supported));
}

function checkObject(
  value: Record<string, unknown>,
  node: SchemaNode,
  path: string,
  errors: FieldError[],
  old: OldValue,
): void {
  const keys = Object.keys(value);
  if (node.minProperties !== undefined && keys.length < node.minProperties) {
    errors.push(
      invalid(path, keys.length, `${path} in body should have at least ${node.minProperties} properties`),
    );
  }
  if (node.maxProperties !== undefined && keys.length > node.maxProperties) {
    errors.push(tooMany(path, keys.length, node.maxProperties));
  }
  if (node.additionalProperties === false) {
    for (const key of keys) {
      if (!node.properties?.has(key))
        errors.push(invalid('', key, `${path}.${key} in body is a forbidden property`));
    }
  } else if (typeof node.additionalProperties === 'object') {
    for (const key of keys) {
      if (!node.properties?.has(key)) {
        validateValue(
          value[key],
          node.additionalProperties,
          childPath(path, key),
          errors,
          oldField(old, key),
        );
      }
    }
  }
  if (node.properties) {
    for (const [key, prop] of node.properties) {
      // apiVersion and kind are never ratcheted (both sides are converted to the same version).
      const oldValue =
        path === '' && (key === 'apiVersion' || key === 'kind') ? undefined : oldField(old, key);
      if (key in value) validateValue(value[key], prop, childPath(path, key), errors, oldValue);
    }
  }
  for (const key of node.required) {
    if (!(key in value)) errors.push(required(childPath(path, key), ''));
  }
}
