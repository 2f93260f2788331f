import type { CoreV1Api, CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import { delegationResource, isConflict, isNotFound, mergePatch } from './kube-clients.js';

/**
 * Adds and removes finalizers with optimistic concurrency: the merge patch carries the
 * `metadata.resourceVersion` the caller read, so the API server answers 409 Conflict when the object
 * changed meanwhile (another finalizer added, the spec edited). On 409 the caller re-reads and retries
 * (in the operator: the pass throws and the work queue requeues the key with backoff), because a merge
 * patch replaces the whole `finalizers` list and a stale list would drop someone else's finalizer.
 */

/** Sends a merge patch to one object and resolves the object the server returns. */
export type MetadataPatcher = (namespace: string, name: string, patch: object) => Promise<KubernetesObject>;

/** Reads one object as the API server has it now; undefined when it is gone. */
export type ObjectReader = (namespace: string, name: string) => Promise<KubernetesObject | undefined>;

/** Reads CrossAccountDelegation objects. */
export function delegationReader(customObjects: CustomObjectsApi): ObjectReader {
  return async (namespace, name) => {
    try {
      return (await customObjects.getNamespacedCustomObject({
        ...delegationResource,
        namespace,
        name,
      })) as KubernetesObject;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

/** Patches CrossAccountDelegation objects. */
export function delegationPatcher(customObjects: CustomObjectsApi): MetadataPatcher {
  return async (namespace, name, body) =>
    (await customObjects.patchNamespacedCustomObject(
      { ...delegationResource, namespace, name, body },
      mergePatch(),
    )) as KubernetesObject;
}

/** Patches Secrets (credential Secrets carry a finalizer while a delegation uses them). */
export function secretPatcher(core: CoreV1Api): MetadataPatcher {
  return async (namespace, name, body) => core.patchNamespacedSecret({ namespace, name, body }, mergePatch());
}

export function hasFinalizer(object: KubernetesObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/**
 * Ensures `finalizer` is on `object` (as last read). Resolves the updated object, or `object` itself
 * when nothing had to change. Rejects with the API's 409 when `object` is stale.
 */
export async function addFinalizer(
  patch: MetadataPatcher,
  object: KubernetesObject,
  finalizer: string,
): Promise<KubernetesObject> {
  if (hasFinalizer(object, finalizer)) return object;
  return writeFinalizers(patch, object, [...(object.metadata?.finalizers ?? []), finalizer]);
}

/**
 * Ensures `finalizer` is not on `object`. Resolves the updated object, `object` itself when nothing had
 * to change, or `undefined` when the object is gone (removing the last finalizer of an object being
 * deleted lets the API server delete it, and a 404 means someone got there first).
 */
export async function removeFinalizer(
  patch: MetadataPatcher,
  object: KubernetesObject,
  finalizer: string,
): Promise<KubernetesObject | undefined> {
  if (!hasFinalizer(object, finalizer)) return object;
  const remaining = (object.metadata?.finalizers ?? []).filter((name) => name !== finalizer);
  try {
    return await writeFinalizers(patch, object, remaining);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function writeFinalizers(
  patch: MetadataPatcher,
  object: KubernetesObject,
  finalizers: string[],
): Promise<KubernetesObject> {
  const { name, namespace, resourceVersion } = object.metadata ?? {};
  if (!name || !namespace) throw new Error('finalizer target needs metadata.name and metadata.namespace');
  if (!resourceVersion)
    throw new Error(`${namespace}/${name}: no resourceVersion to guard the finalizer patch with`);
  // An empty list is sent as null so the field disappears, as kubectl shows it for a fresh object.
  return patch(namespace, name, {
    metadata: { resourceVersion, finalizers: finalizers.length > 0 ? finalizers : null },
  });
}

/** How often {@link removeFinalizerFromLatest} re-reads after a 409 before it lets the 409 through. */
const LATEST_ATTEMPTS = 5;

/**
 * Removes `finalizer` from the object as it is now, not as an earlier read saw it: for the end of a long
 * operation (a revocation), where a metadata edit made meanwhile (a label, another controller's
 * finalizer) must not fail the removal and send the whole operation round again. Reads the object,
 * patches with that resourceVersion, and on a 409 (it changed between the two) reads again, a few
 * times. Resolves like {@link removeFinalizer}; undefined when the object is gone.
 */
export async function removeFinalizerFromLatest(
  read: ObjectReader,
  patch: MetadataPatcher,
  target: { namespace: string; name: string },
  finalizer: string,
): Promise<KubernetesObject | undefined> {
  for (let attempt = 1; ; attempt++) {
    const latest = await read(target.namespace, target.name);
    if (!latest) return undefined;
    try {
      return await removeFinalizer(patch, latest, finalizer);
    } catch (error) {
      if (!isConflict(error) || attempt >= LATEST_ATTEMPTS) throw error;
    }
  }
}
