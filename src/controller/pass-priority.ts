import type { KubernetesObject } from '@kubernetes/client-node';
import { parseKubeTime } from './kube-clients.js';
import type { Priority } from './work-queue.js';

/**
 * Which passes are revocations: they take the work queue's urgent lane, ahead of resyncs and drift
 * checks, because every moment they wait is a moment access outlives its grant. Read from the object
 * as the watch delivered it (the pass itself re-reads it): deliberately loose, since it only orders work.
 */

/** Why a delegation's next pass revokes access; grows as new ways to revoke are added. */
export type RevocationReason = 'deletion' | 'suspend' | 'expiry';

interface LooseDelegation extends KubernetesObject {
  spec?: { suspend?: unknown; expiresAt?: unknown };
}

/** The reason the delegation's next pass revokes, at `now`, or undefined for a routine pass. */
export function revocationReason(object: KubernetesObject, now: Date): RevocationReason | undefined {
  if (object.metadata?.deletionTimestamp) return 'deletion';
  const spec = (object as LooseDelegation).spec;
  if (spec?.suspend === true) return 'suspend';
  const expiresAt = parseKubeTime(spec?.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) return 'expiry';
  return undefined;
}

/** The work-queue lane for a pass with this revocation reason. */
export function priorityFor(reason: RevocationReason | undefined): Priority {
  return reason ? 'urgent' : 'routine';
}
