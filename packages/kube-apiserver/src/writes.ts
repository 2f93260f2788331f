/**
 * Create, update (PUT) and patch of any resource: the generic write path with the real server's
 * preconditions (409 on a stale resourceVersion), status-subresource split, generation tracking,
 * finalizer rules, and "a write that changes nothing bumps nothing".
 */
import { randomUUID } from 'node:crypto';
import {
  decodeMetadata,
  handleUnknownFields,
  resourceVersionRequired,
  validateOrThrow,
  type WriteOptions,
} from './admission.js';
import type { ServerContext } from './context.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  notFound,
  unsupportedMediaType,
} from './errors.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { present } from './presentation.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';
import { formatTime } from './time-format.js';
import { cloneJson, isJsonObject, jsonEqual, type KubeObject } from './types.js';

export const NAMESPACES_KEY = '/namespaces';

export type Subresource = 'status' | undefined;

/** Checks the request body's identity against the URL and returns a private copy. */
function asRequestObject(type: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
  if (!isJsonObject(body))
    throw badRequest(`Object '${type.kind}' is invalid: the request body must be a JSON object`);
  const object = cloneJson(body) as KubeObject;
  const expected = apiVersionOf(type);
  if (object.apiVersion !== undefined && object.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the kind in the data (${String(object.kind)}) does not match the expected kind`,
    );
  }
  object.apiVersion = expected;
  object.kind = type.kind;
  if (object.metadata === undefined || object.metadata === null) object.metadata = {};
  if (!isJsonObject(object.metadata))
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: metadata must be an object`,
    );
  if (type.namespaced) {
    if (object.metadata.namespace && object.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    object.metadata.namespace = namespace;
  } else {
    delete object.metadata.namespace;
  }
  return object;
}

/** Decodes a request object into the stored shape (unknown fields, formats, conversion). */
function decode(type: ResourceType, object: KubeObject, options: WriteOptions): KubeObject {
  handleUnknownFields(type, object, options);
  decodeMetadata(type, object);
  type.hooks.decode?.(object);
  delete object.metadata.managedFields;
  delete object.metadata.selfLink;
  return type.hooks.toStorage ? type.hooks.toStorage(object) : object;
}

function withoutMetaAndStatus(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function sameExceptVersion(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(
    { ...a, metadata: { ...a.metadata, resourceVersion: undefined } },
    { ...b, metadata: { ...b.metadata, resourceVersion: undefined } },
  );
}

export class ObjectWriter {
  constructor(private readonly ctx: ServerContext) {}

  private requireNamespace(type: ResourceType, namespace: string | undefined, name: string): void {
    if (!type.namespaced || namespace === undefined) return;
    const ns = this.ctx.store.get(NAMESPACES_KEY, undefined, namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        type,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
    }
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const object = decode(type, asRequestObject(type, namespace, body), options);
    const meta = object.metadata;
    if (!meta.name && meta.generateName)
      meta.name = `${meta.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
    this.requireNamespace(type, namespace, meta.name ?? '');
    for (const field of [
      'uid',
      'resourceVersion',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ] as const) {
      delete meta[field];
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(this.ctx.now());
    if (type.tracksGeneration) meta.generation = 1;
    if (type.statusSubresource && type.custom) delete object.status;
    type.hooks.normalize?.(object);
    type.schema?.applyDefaults(object);
    validateOrThrow(type, object);
    if (meta.name && this.ctx.store.get(type.storageKey, namespace, meta.name))
      throw alreadyExists(type, meta.name);
    if (options.dryRun) return present(type, object);
    return present(type, this.ctx.store.put(type.storageKey, object));
  }

  private existing(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const old = this.ctx.store.get(type.storageKey, namespace, name);
    if (!old) throw notFound(type, name);
    return old;
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    subresource: Subresource,
    options: WriteOptions,
    fromPatch = false,
  ): KubeObject {
    const old = this.existing(type, namespace, name);
    const request = asRequestObject(type, namespace, body);
    if (request.metadata.name !== undefined && request.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${request.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    request.metadata.name = name;
    const version = request.metadata.resourceVersion;
    if (!version) {
      if (type.requireResourceVersionOnUpdate && !fromPatch) throw resourceVersionRequired(type, name);
    } else if (version !== old.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    const incoming = decode(type, request, options);
    let next: KubeObject;
    if (subresource === 'status') {
      next = cloneJson(old);
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else {
      next = incoming;
      if (type.statusSubresource) {
        if (old.status === undefined) delete next.status;
        else next.status = cloneJson(old.status);
      }
      const meta = next.metadata;
      for (const field of [
        'uid',
        'creationTimestamp',
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
        'generation',
      ] as const) {
        if (old.metadata[field] === undefined) delete meta[field];
        else meta[field] = old.metadata[field] as never;
      }
      if (old.metadata.generateName !== undefined && meta.generateName === undefined)
        meta.generateName = old.metadata.generateName;
      type.hooks.normalize?.(next);
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    type.schema?.applyDefaults(next);
    validateOrThrow(type, next, old);
    if (
      type.tracksGeneration &&
      subresource !== 'status' &&
      !jsonEqual(withoutMetaAndStatus(next), withoutMetaAndStatus(old))
    ) {
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    if (sameExceptVersion(next, old)) return present(type, old);
    if (options.dryRun) return present(type, next);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      return present(type, this.ctx.store.remove(type.storageKey, next));
    }
    return present(type, this.ctx.store.put(type.storageKey, next, old));
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    subresource: Subresource,
    options: WriteOptions,
  ): KubeObject {
    this.checkPatchType(type, contentType);
    const current = present(type, this.existing(type, namespace, name));
    let patched: unknown;
    switch (contentType) {
      case 'application/merge-patch+json':
        if (!isJsonObject(patchBody))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        patched = mergePatch(current, patchBody);
        break;
      case 'application/json-patch+json':
        patched = jsonPatch(current, patchBody);
        break;
      case 'application/strategic-merge-patch+json':
        if (!isJsonObject(patchBody))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        patched = strategicMergePatch(current, patchBody);
        break;
      default:
        throw new ApiError(500, 'InternalError', `unhandled patch type ${contentType}`);
    }
    if (!isJsonObject(patched)) throw new ApiError(422, 'Invalid', 'the patched object is not a JSON object');
    return this.update(type, namespace, name, patched, subresource, options, true);
  }

  /** 415 for patch types this resource does not take, before looking at the object (as the real server). */
  private checkPatchType(type: ResourceType, contentType: string): void {
    const accepted = ['application/json-patch+json', 'application/merge-patch+json'];
    if (!type.custom) accepted.push('application/strategic-merge-patch+json');
    if (contentType === 'application/apply-patch+yaml') {
      throw unsupportedMediaType(
        'server-side apply (application/apply-patch+yaml) is not supported by this API server; use client-side `kubectl apply` or a merge patch',
      );
    }
    if (!accepted.includes(contentType)) {
      throw unsupportedMediaType(
        `the body of the request was in an unknown format - accepted media types include: ${[...accepted, 'application/apply-patch+yaml'].join(', ')}`,
      );
    }
  }
}
