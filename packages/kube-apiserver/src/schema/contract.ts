/**
 * The seam between the Kubernetes API server's request handling (`src/sandbox/kube/`, the "server")
 * and its CustomResourceDefinition schema machinery (`src/sandbox/kube/schema/`, the "schema"). The
 * server stores, versions, watches and serves objects; the schema module decides what a custom resource
 * may contain. Both sides code against this file only.
 */

/** One field error, rendered by the server into a 422 `Invalid` Status `details.causes[]` entry. */
export interface FieldError {
  /** Kubernetes cause reason: FieldValueInvalid, FieldValueRequired, FieldValueNotSupported,
   *  FieldValueDuplicate, FieldValueTooLong, FieldValueTooMany, FieldValueForbidden, FieldValueTypeInvalid. */
  type: string;
  /** Dotted field path as the real server prints it, e.g. `spec.role.name` or `spec.users[1].name`. */
  field: string;
  /** The full message as the real server prints it, e.g.
   *  `spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10`. */
  message: string;
}

/** The compiled schema of one served version of a CRD. */
export interface VersionSchema {
  /**
   * Removes fields the schema does not know (honouring `x-kubernetes-preserve-unknown-fields`), in place.
   * Returns the dotted paths removed (for `fieldValidation` Strict/Warn: "unknown field \"spec.foo\"").
   * apiVersion, kind and metadata are never pruned (metadata is not validated beyond the server's rules).
   */
  prune(object: Record<string, unknown>): string[];
  /** Applies `default`s from the schema, in place (after pruning, as the real server does). */
  applyDefaults(object: Record<string, unknown>): void;
  /**
   * OpenAPI validation plus CEL `x-kubernetes-validations` (with `oldSelf` transition rules when
   * `oldObject` is given, i.e. on update) plus `x-kubernetes-list-type` set/map uniqueness.
   * `subresource` 'status' validates only what a status write may change (the real server validates the
   * whole object but transition rules on spec are then trivially satisfied).
   */
  validate(object: Record<string, unknown>, oldObject?: Record<string, unknown>): FieldError[];
}

export interface CompiledCrd {
  /** Keyed by version name (`v1alpha1`). Only versions with `served: true`. */
  versions: Map<string, VersionSchema>;
}

/**
 * Result of compiling a CRD when it is created or updated. `errors` non-empty means the CRD itself is
 * refused with 422 (non-structural schema, a CEL rule that does not compile or uses an unknown function,
 * ...); each entry is a FieldError on the CRD object (e.g. field
 * `spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`).
 */
export type CompileResult = { ok: true; crd: CompiledCrd } | { ok: false; errors: FieldError[] };

/** Signature of the schema module's entry point, exported from `schema/index.ts` as `compileCrd`. */
export type CompileCrd = (crd: Record<string, unknown>) => CompileResult;
