/**
 * What the server knows about one served group/version/resource: its names for discovery, how it is
 * stored, and the kind-specific rules (hooks) the generic write path calls.
 */
import type { Authorizer } from './auth/authorizer.js';
import type { UserInfo } from './auth/user.js';
import type { FieldError, VersionSchema } from './schema/contract.js';
import type { KubeObject } from './types.js';

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** Kind-specific behaviour. Every hook is optional; objects passed in are private copies. */
export interface KindHooks {
  /** Decodes a request body as the real typed decoder would (e.g. MicroTime formats): throws 400. */
  decode?(object: KubeObject): void;
  /** Top-level fields the typed decoder knows; others are "unknown fields" for fieldValidation. */
  knownFields?: readonly string[];
  /** Normalises an accepted object before storage (e.g. Secret stringData into data). */
  normalize?(object: KubeObject): void;
  /** Semantic validation; `old` is given on update. */
  validate?(object: KubeObject, old?: KubeObject): FieldError[];
  /** Value of a field-selector label other than metadata.name/namespace; undefined = unsupported label. */
  fieldLabel?(object: KubeObject, label: string): string | undefined;
  /** Converts a stored object (e.g. a core v1 Event) into this version's shape. */
  fromStorage?(object: KubeObject): KubeObject;
  /** Converts a request object into the stored shape. */
  toStorage?(object: KubeObject): KubeObject;
  /** Default Table columns and their cells (built-in kinds). Name is always the first column. */
  table?: { columns: PrinterColumn[]; cells: (object: KubeObject) => unknown[] };
}

/** A subresource served besides status (serviceaccounts/token), as discovery lists it. */
export interface SubresourceInfo {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

/** Who asks, for kinds whose answer depends on the caller (access reviews). */
export interface RequestScope {
  user: UserInfo;
  authorizer: Authorizer;
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural resource name: `widgets`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Objects of every version of one resource share this store key (`<group>/<resource>`). */
  storageKey: string;
  /** Served under /status with status-subresource semantics. */
  statusSubresource: boolean;
  /** A custom resource: generation, schema, no strategic merge patch. */
  custom: boolean;
  /** PUT without metadata.resourceVersion is refused (custom resources, Leases). */
  requireResourceVersionOnUpdate: boolean;
  /** metadata.generation is maintained (custom resources and CRDs). */
  tracksGeneration: boolean;
  /** CRD additionalPrinterColumns (custom resources). */
  printerColumns?: PrinterColumn[];
  /** Compiled schema of this version (custom resources whose CRD has one). */
  schema?: VersionSchema;
  hooks: KindHooks;
  /** Verbs discovery lists; default STANDARD_VERBS. */
  verbs?: string[];
  /** Subresources besides status. */
  subresources?: SubresourceInfo[];
  /**
   * Create-only kinds that are answered, never stored (SelfSubjectAccessReview and friends): the
   * response to a POST of `body`. Every other verb is 405.
   */
  review?: (body: KubeObject, scope: RequestScope) => KubeObject;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
