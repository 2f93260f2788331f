/** Shared helpers for the built-in kinds: a ResourceType with defaults, and typed-decoder errors. */
import { badRequest, type ApiError } from '../errors.js';
import type { KindHooks, PrinterColumn, ResourceType, SubresourceInfo } from '../resource-type.js';
import { ageOf, isMicroTime, isRfc3339, microTimeParseError } from '../time-format.js';
import { scalarText, type KubeObject } from '../types.js';

export interface BuiltinSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  storageKey?: string;
  requireResourceVersionOnUpdate?: boolean;
  statusSubresource?: boolean;
  tracksGeneration?: boolean;
  hooks: KindHooks;
  verbs?: string[];
  subresources?: SubresourceInfo[];
  review?: ResourceType['review'];
}

export function builtinType(spec: BuiltinSpec): ResourceType {
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    storageKey: spec.storageKey ?? `${spec.group}/${spec.resource}`,
    statusSubresource: spec.statusSubresource ?? false,
    custom: false,
    requireResourceVersionOnUpdate: spec.requireResourceVersionOnUpdate ?? false,
    tracksGeneration: spec.tracksGeneration ?? false,
    hooks: spec.hooks,
    verbs: spec.verbs,
    subresources: spec.subresources,
    review: spec.review,
  };
}

/** The 400 the typed decoder gives: `Lease in version "v1" cannot be handled as a Lease: <why>`. */
export function decodeError(kind: string, version: string, why: string): ApiError {
  return badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${why}`);
}

/** Reads a nested value by path segments. */
export function pick(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function pickString(object: unknown, ...path: string[]): string | undefined {
  const value = pick(object, ...path);
  return typeof value === 'string' ? value : undefined;
}

/** Throws the decoder's error when a MicroTime field is present but not exactly `.000000` precise. */
export function requireMicroTime(kind: string, version: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    throw decodeError(kind, version, `json: cannot unmarshal ${typeof value} into Go value of type string`);
  }
  if (!isMicroTime(value)) throw decodeError(kind, version, microTimeParseError(value));
}

/** Throws the decoder's error when a Time field is present but not RFC 3339. */
export function requireTime(kind: string, version: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !isRfc3339(value)) {
    throw decodeError(
      kind,
      version,
      `parsing time "${scalarText(value)}" as "2006-01-02T15:04:05Z07:00": cannot parse "${scalarText(value)}" as "2006"`,
    );
  }
}

export const NAME_COLUMN: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  jsonPath: '.metadata.name',
};

export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  jsonPath: '.metadata.creationTimestamp',
};

export function age(object: KubeObject): string {
  return ageOf(object.metadata.creationTimestamp);
}

export function countKeys(value: unknown): number {
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}
