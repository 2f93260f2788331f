import type { CustomObjectsApi } from '@kubernetes/client-node';
import type { Condition, CrossAccountDelegationStatus } from '../api/status.js';
import { sameConditions } from './conditions.js';
import { delegationResource, mergePatch } from './kube-clients.js';

/**
 * Writes a CrossAccountDelegation's status: at most one merge patch to the `/status` subresource per
 * reconcile pass, and none at all when the desired status equals what the object already shows
 * (compared deeply, ignoring the order of conditions). A no-op pass must cost no API write, or every
 * status write would trigger another watch event and another pass.
 *
 * The patch carries no resourceVersion: the operator is the only writer of `.status`, and the pass
 * computed it from a fresh read. Top-level status fields the desired status drops are sent as `null`
 * so the merge patch removes them; arrays (conditions, users) are replaced whole, as RFC 7386 does.
 */

/** The object as last read (e.g. from the informer cache); its `status` is what the server shows now. */
interface StatusTarget {
  metadata?: { name?: string; namespace?: string };
  status?: unknown;
}

export interface StatusWriter {
  /** Patches the status when it differs. Resolves `true` when a write happened. */
  write(target: StatusTarget, desired: CrossAccountDelegationStatus): Promise<boolean>;
}

export function createStatusWriter(customObjects: CustomObjectsApi): StatusWriter {
  return {
    async write(target, desired) {
      const current = target.status as CrossAccountDelegationStatus | undefined;
      if (statusEquals(current, desired)) return false;
      const { name, namespace } = target.metadata ?? {};
      if (!name || !namespace) throw new Error('status target needs metadata.name and metadata.namespace');
      await customObjects.patchNamespacedCustomObjectStatus(
        { ...delegationResource, namespace, name, body: { status: statusMergePatch(current, desired) } },
        mergePatch(),
      );
      return true;
    },
  };
}

/** The merge-patch body for `.status`: the desired fields, plus `null` for each field to remove. */
export function statusMergePatch(
  current: CrossAccountDelegationStatus | undefined,
  desired: CrossAccountDelegationStatus,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(current ?? {})) {
    if ((desired as Record<string, unknown>)[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(desired)) {
    if (value !== undefined) patch[key] = value;
  }
  return patch;
}

/** Deep equality of two statuses, where the order of conditions does not matter. */
export function statusEquals(
  current: CrossAccountDelegationStatus | undefined,
  desired: CrossAccountDelegationStatus | undefined,
): boolean {
  const { conditions: currentConditions, ...currentRest } = current ?? {};
  const { conditions: desiredConditions, ...desiredRest } = desired ?? {};
  if (!deepEqual(dropUndefined(currentRest), dropUndefined(desiredRest))) return false;
  return sameConditions(normalizeConditions(currentConditions), normalizeConditions(desiredConditions));
}

/** Conditions as the API server echoes them: an empty message may be absent. */
function normalizeConditions(conditions: Condition[] | undefined): Condition[] {
  return (conditions ?? []).map((condition) => ({ ...condition, message: condition.message ?? '' }));
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (left[key] === undefined && right[key] === undefined) continue;
    if (!deepEqual(left[key], right[key])) return false;
  }
  return true;
}
