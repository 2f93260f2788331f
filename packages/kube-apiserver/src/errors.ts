/**
 * Kubernetes `Status` errors, worded as the real API server words them so that kubectl and client-node
 * print the same messages as against a real cluster.
 */
import type { FieldError } from './schema/contract.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that is answered with a Failure `Status` and its HTTP code. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    /** Extra response headers (Retry-After of a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const status: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** What names an object in an error: `widgets.example.com "w1"` (group empty for the core group). */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualifiedResource(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

/** `Kind.group` as Go's GroupKind.String() prints it. */
function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

export function notFound(ref: ResourceRef, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(ref)} "${name}" not found`, {
    name,
    group: ref.group || undefined,
    kind: ref.resource,
  });
}

export function alreadyExists(ref: ResourceRef, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(ref)} "${name}" already exists`, {
    name,
    group: ref.group || undefined,
    kind: ref.resource,
  });
}

export function conflict(ref: ResourceRef, name: string, why?: string): ApiError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${name}": ${reason}`,
    {
      name,
      group: ref.group || undefined,
      kind: ref.resource,
    },
  );
}

export function forbidden(ref: ResourceRef, name: string, why: string, causes?: StatusCause[]): ApiError {
  const subject = name ? `${qualifiedResource(ref)} "${name}"` : qualifiedResource(ref);
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    name: name || undefined,
    group: ref.group || undefined,
    kind: ref.resource,
    causes,
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function unsupportedMediaType(message: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function pageNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

/**
 * 422 Invalid, composed like apimachinery's NewInvalid: the top message is `<Kind>.<group> "<name>" is
 * invalid: <msg>` for one error or `[<msg>, <msg>]` for several; each cause carries the message without
 * its field prefix.
 */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): ApiError {
  const messages = [...new Set(errors.map((e) => e.message))];
  const joined = messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
  const causes = errors.map((e) => ({
    reason: e.type,
    message: e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message,
    field: e.field,
  }));
  const head = `${qualifiedKind(group, kind)} "${name}" is invalid`;
  return new ApiError(422, 'Invalid', messages.length ? `${head}: ${joined}` : head, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

/**
 * One field error in the wording of apimachinery's field.Error. `valueText` is the bad value as Go's
 * `%#v` prints it (strings quoted); omitted for errors that print no value.
 */
export function fieldError(
  type: FieldErrorType,
  field: string,
  detail: string,
  valueText?: string,
): FieldError {
  const label = FIELD_ERROR_LABELS[type];
  let body = label;
  if (valueText !== undefined) body += `: ${valueText}`;
  if (detail) body += `: ${detail}`;
  return { type, field, message: `${field}: ${body}` };
}

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate';

const FIELD_ERROR_LABELS: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
};

export function successStatus(details: StatusDetails): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}
