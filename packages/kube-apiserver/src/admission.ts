/**
 * The checks every write passes before it is stored, in the real server's order: decode (unknown
 * fields per fieldValidation, typed-decoder formats), default, then validate (metadata, the kind's own
 * rules, the CRD schema with CEL). Errors are the real server's 400s and 422s.
 */
import { decodeError } from './builtin/define.js';
import { fieldError, invalid } from './errors.js';
import type { ResourceType } from './resource-type.js';
import type { FieldError } from './schema/contract.js';
import { isJsonObject, type KubeObject } from './types.js';

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Filled with `299 - "..."` warning texts for the response's Warning headers. */
  warnings: string[];
}

const METADATA_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * Finds and removes unknown fields (the CRD schema prunes custom resources; built-in kinds know their
 * top-level fields), then acts on them per fieldValidation.
 */
export function handleUnknownFields(type: ResourceType, object: KubeObject, options: WriteOptions): void {
  const unknown: string[] = [];
  for (const key of Object.keys(object.metadata)) {
    if (!METADATA_FIELDS.has(key)) {
      unknown.push(`metadata.${key}`);
      delete object.metadata[key];
    }
  }
  if (type.custom) {
    if (type.schema) unknown.push(...type.schema.prune(object));
  } else if (type.hooks.knownFields) {
    for (const key of Object.keys(object)) {
      if (!type.hooks.knownFields.includes(key)) {
        unknown.push(key);
        delete object[key];
      }
    }
  }
  if (unknown.length === 0 || options.fieldValidation === 'Ignore') return;
  const texts = unknown.map((path) => `unknown field "${path}"`);
  if (options.fieldValidation === 'Strict') {
    throw decodeError(type.kind, type.version, `strict decoding error: ${texts.join(', ')}`);
  }
  options.warnings.push(...texts);
}

/** Checks the shapes the typed decoder insists on for metadata. */
export function decodeMetadata(type: ResourceType, object: KubeObject): void {
  const meta = object.metadata;
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (map === undefined || map === null) continue;
    if (!isJsonObject(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      throw decodeError(
        type.kind,
        type.version,
        `json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type string`,
      );
    }
  }
  if (meta.finalizers !== undefined && meta.finalizers !== null) {
    if (!Array.isArray(meta.finalizers) || meta.finalizers.some((f) => typeof f !== 'string')) {
      throw decodeError(
        type.kind,
        type.version,
        'json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type []string',
      );
    }
  }
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_TEXT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validateMetadata(type: ResourceType, object: KubeObject, old?: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = object.metadata.name ?? '';
  const dnsLabel = type.resource === 'namespaces';
  if (!old) {
    if (!name) {
      errors.push(fieldError('FieldValueRequired', 'metadata.name', 'name or generateName is required'));
    } else if (
      dnsLabel ? !LABEL.test(name) || name.length > 63 : !SUBDOMAIN.test(name) || name.length > 253
    ) {
      errors.push(
        fieldError(
          'FieldValueInvalid',
          'metadata.name',
          dnsLabel ? LABEL_TEXT : SUBDOMAIN_TEXT,
          JSON.stringify(name),
        ),
      );
    }
  }
  for (const value of Object.values(object.metadata.labels ?? {})) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push(
        fieldError(
          'FieldValueInvalid',
          'metadata.labels',
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
          JSON.stringify(value),
        ),
      );
    }
  }
  if (old?.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    if ((object.metadata.finalizers ?? []).some((f) => !before.has(f))) {
      errors.push(
        fieldError(
          'FieldValueForbidden',
          'metadata.finalizers',
          'no new finalizers can be added if the object is being deleted',
        ),
      );
    }
  }
  return errors;
}

/** Runs every validation and throws one 422 naming all problems. */
export function validateOrThrow(type: ResourceType, object: KubeObject, old?: KubeObject): void {
  const errors = [
    ...validateMetadata(type, object, old),
    ...(type.hooks.validate?.(object, old) ?? []),
    ...(type.schema?.validate(object, old) ?? []),
  ];
  if (errors.length) throw invalid(type.group, type.kind, object.metadata.name ?? '', errors);
}

/** A 422 for an update without metadata.resourceVersion where the kind requires one. */
export function resourceVersionRequired(type: ResourceType, name: string): Error {
  return invalid(type.group, type.kind, name, [
    fieldError('FieldValueInvalid', 'metadata.resourceVersion', 'must be specified for an update', '0x0'),
  ]);
}
