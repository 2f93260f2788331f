/**
 * Constructors for field errors, rendered exactly as k8s.io/apimachinery `field.Error.Error()` prints
 * them (`<field>: <Type text>[: <bad value>][: <detail>]`). Paths are plain dotted strings
 * (`spec.users[0].name`, `properties[spec]`); an empty path is Go's nil path and prints as `<nil>`.
 */
import type { FieldError } from './contract.js';
import { goBadValue } from './go-format.js';

/** Marker for "print no value" (Go's `field.OmitValueType`). */
const OMIT_VALUE: unique symbol = Symbol('omit value');

function make(type: string, title: string, field: string, value: unknown, detail: string): FieldError {
  let body = title;
  if (value !== OMIT_VALUE) body += `: ${goBadValue(value)}`;
  if (detail.length > 0) body += `: ${detail}`;
  const shown = field === '' ? '<nil>' : field;
  return { type, field: shown, message: `${shown}: ${body}` };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return make('FieldValueInvalid', 'Invalid value', field, value, detail);
}

/** `field.TypeInvalid`: prints as "Invalid value" too. */
export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return make('FieldValueTypeInvalid', 'Invalid value', field, value, detail);
}

export function required(field: string, detail: string): FieldError {
  return make('FieldValueRequired', 'Required value', field, OMIT_VALUE, detail);
}

export function forbidden(field: string, detail: string): FieldError {
  return make('FieldValueForbidden', 'Forbidden', field, OMIT_VALUE, detail);
}

export function duplicate(field: string, value: unknown): FieldError {
  return make('FieldValueDuplicate', 'Duplicate value', field, value, '');
}

/** `field.NotSupported`: each supported value is `strconv.Quote`d. */
export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const detail =
    supported.length > 0 ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return make('FieldValueNotSupported', 'Unsupported value', field, value, detail);
}

/** `field.TooLong` (value omitted; max in bytes). */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`
      : 'value is too long';
  return make('FieldValueTooLong', 'Too long', field, OMIT_VALUE, detail);
}

/** `field.TooMany` (actual count printed when known). */
export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  return make('FieldValueTooMany', 'Too many', field, actual >= 0 ? actual : OMIT_VALUE, detail);
}
