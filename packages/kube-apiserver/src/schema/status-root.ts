/**
 * With the status subresource enabled, the root of a version's schema may only use keywords that
 * survive splitting the schema into spec and status (apiextensions validation.go
 * allowedFieldsAtRootSchema), and its type must be object. Reports at most one error, like the real
 * server. Caveat: the bad value is printed as the raw schema JSON (Go prints its internal struct).
 */
import type { FieldError } from './contract.js';
import { invalid } from './field-errors.js';

/** Go field names as the real message lists them, with the JSON keywords they stand for. */
const ALLOWED: [string, string][] = [
  ['Description', 'description'],
  ['Type', 'type'],
  ['Format', 'format'],
  ['Title', 'title'],
  ['Maximum', 'maximum'],
  ['ExclusiveMaximum', 'exclusiveMaximum'],
  ['Minimum', 'minimum'],
  ['ExclusiveMinimum', 'exclusiveMinimum'],
  ['MaxLength', 'maxLength'],
  ['MinLength', 'minLength'],
  ['Pattern', 'pattern'],
  ['MaxItems', 'maxItems'],
  ['MinItems', 'minItems'],
  ['UniqueItems', 'uniqueItems'],
  ['MultipleOf', 'multipleOf'],
  ['Required', 'required'],
  ['Items', 'items'],
  ['Properties', 'properties'],
  ['ExternalDocs', 'externalDocs'],
  ['Example', 'example'],
  ['XPreserveUnknownFields', 'x-kubernetes-preserve-unknown-fields'],
  ['XValidations', 'x-kubernetes-validations'],
];
const ALLOWED_KEYS = new Set(ALLOWED.map(([, key]) => key));

function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return true;
  return Array.isArray(value) && value.length === 0;
}

/** `schemaPath` is `spec.versions[i].schema.openAPIV3Schema`. */
export function validateStatusRoot(raw: Record<string, unknown>, schemaPath: string): FieldError[] {
  if (!isZero(raw.type) && raw.type !== 'object') {
    return [
      invalid(
        `${schemaPath}.type`,
        raw.type,
        'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      ),
    ];
  }
  const disallowed = Object.keys(raw).some((key) => !ALLOWED_KEYS.has(key) && !isZero(raw[key]));
  if (!disallowed) return [];
  const names = ALLOWED.map(([name]) => name).join(' ');
  const error = invalid(
    schemaPath,
    '',
    `only [${names}] fields are allowed at the root of the schema if the status subresource is enabled`,
  );
  return [
    {
      ...error,
      message: error.message.replace('Invalid value: ""', `Invalid value: ${JSON.stringify(raw)}`),
    },
  ];
}
