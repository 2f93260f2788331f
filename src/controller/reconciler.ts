import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { withCallPriority } from '../alicloud/index.js';
import { crossAccountDelegationSchema } from '../api/resource.js';
import { reconcileLogger } from '../observability/logger.js';
import { finalizeDelegation } from './deletion.js';
import { delegationResource, isNotFound, splitKey } from './kube-clients.js';
import { readWithRetry } from './kube-retry.js';
import { eventSubject, type DelegationPass, type ReconcilerDeps } from './pass.js';
import { priorityFor, revocationReason } from './pass-priority.js';
import { syncDelegation } from './sync/sync-delegation.js';
import type { PassLane, WorkOutcome } from './work-queue.js';

export type { ReconcilerDeps } from './pass.js';

export interface ReconcilerOptions {
  /**
   * Whether this operator reconciles the object (its shard). A pass over an object of another shard
   * does nothing at all: a delegation relabelled to another shard leaves this one's watch as if
   * deleted, and must not be revoked for it (revocation only ever follows a deletionTimestamp).
   */
  owns?: (object: KubernetesObject) => boolean;
}

/**
 * One level-based pass over one CrossAccountDelegation, by key (docs/design.md#reconcile): read it fresh,
 * then take the deletion path when it is being deleted (`deletion.ts`), otherwise the sync path's ordered
 * steps (`sync/`). Either path writes the status at most once. The work queue calls {@link reconcile}.
 */
export class DelegationReconciler {
  constructor(
    private readonly deps: ReconcilerDeps,
    private readonly options: ReconcilerOptions = {},
  ) {}

  async reconcile(key: string, lane?: PassLane): Promise<WorkOutcome> {
    const { deps } = this;
    const started = deps.clock();
    const log = reconcileLogger(deps.logger, { key, reconcileId: randomUUID() });
    const { namespace, name } = splitKey(key);
    if (!namespace) return undefined;
    const raw = await this.read(namespace, name);
    if (!raw) return undefined;
    if (this.options.owns && !this.options.owns(raw)) {
      log.debug('belongs to another shard; nothing to do');
      return undefined;
    }
    const parsed = crossAccountDelegationSchema.safeParse(raw);
    if (!parsed.success) {
      log.error(
        { problems: parsed.error.issues.map((i) => i.message) },
        'object is not a CrossAccountDelegation',
      );
      return undefined;
    }
    const object = parsed.data;
    const pass: DelegationPass = {
      deps,
      key,
      object,
      raw,
      namespace: object.metadata.namespace ?? namespace,
      subject: eventSubject(object),
      log,
    };
    const seconds = () => (deps.clock().getTime() - started.getTime()) / 1000;
    // A revocation's cloud calls, and those of a pass a revocation waits for, take their account's next token.
    const revokes = priorityFor(revocationReason(raw, deps.clock())) === 'urgent';
    const priority = () => (revokes || lane?.priority === 'urgent' ? 'urgent' : 'routine');
    try {
      const outcome = await withCallPriority(priority, () =>
        object.metadata.deletionTimestamp ? finalizeDelegation(pass) : syncDelegation(pass),
      );
      deps.metrics?.observeReconcile(outcome.result, seconds());
      return outcome.next;
    } catch (error) {
      deps.metrics?.observeReconcile('error', seconds());
      throw error;
    }
  }

  /** The object as the API server has it now, or undefined when it is gone. */
  private async read(namespace: string, name: string): Promise<KubernetesObject | undefined> {
    try {
      return (await readWithRetry(() =>
        this.deps.kube.customObjects.getNamespacedCustomObject({ ...delegationResource, namespace, name }),
      )) as KubernetesObject;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
