/**
 * DELETE: preconditions, finalizers (the object stays, terminating, until the last one is removed),
 * and namespaces, which turn Terminating and are emptied by the garbage collector.
 */
import type { ServerContext } from './context.js';
import { conflict, forbidden, notFound, successStatus, type StatusBody } from './errors.js';
import { present } from './presentation.js';
import type { ResourceType } from './resource-type.js';
import { formatTime } from './time-format.js';
import { cloneJson, isJsonObject, type KubeObject } from './types.js';

export interface DeleteOptions {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Parses the optional DeleteOptions body (client-node and kubectl send one). */
export function parseDeleteOptions(body: unknown, dryRunQuery: boolean): DeleteOptions {
  const options: DeleteOptions = { dryRun: dryRunQuery };
  if (isJsonObject(body)) {
    if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) options.dryRun = true;
    if (isJsonObject(body.preconditions)) {
      options.preconditions = {
        uid: typeof body.preconditions.uid === 'string' ? body.preconditions.uid : undefined,
        resourceVersion:
          typeof body.preconditions.resourceVersion === 'string'
            ? body.preconditions.resourceVersion
            : undefined,
      };
    }
  }
  return options;
}

/** Marks an object as being deleted: deletionTimestamp now, grace period 0, generation bumped. */
function markDeleting(ctx: ServerContext, type: ResourceType, object: KubeObject): KubeObject {
  const next = cloneJson(object);
  next.metadata.deletionTimestamp = formatTime(ctx.now());
  next.metadata.deletionGracePeriodSeconds = 0;
  if (type.tracksGeneration) next.metadata.generation = (object.metadata.generation ?? 0) + 1;
  type.hooks.normalize?.(next);
  return next;
}

/** The response body and code of a DELETE. */
export interface DeleteResult {
  code: number;
  body: KubeObject | StatusBody;
}

export function deleteObject(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
): DeleteResult {
  const current = ctx.store.get(type.storageKey, namespace, name);
  if (!current) throw notFound(type, name);
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      type,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      type,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
  const isNamespace = type.resource === 'namespaces' && type.group === '';
  if (isNamespace && UNDELETABLE_NAMESPACES.has(name)) {
    throw forbidden(type, name, 'this namespace may not be deleted');
  }
  if (current.metadata.deletionTimestamp) return { code: 200, body: present(type, current) };
  if (isNamespace || (current.metadata.finalizers ?? []).length > 0) {
    const next = markDeleting(ctx, type, current);
    if (options.dryRun) return { code: 200, body: present(type, next) };
    return { code: 200, body: present(type, ctx.store.put(type.storageKey, next, current)) };
  }
  if (!options.dryRun) ctx.store.remove(type.storageKey, current);
  return {
    code: 200,
    body: successStatus({
      name,
      group: type.group || undefined,
      kind: type.resource,
      uid: current.metadata.uid,
    }),
  };
}
