/** Registers the built-in kinds and creates the objects every cluster starts with. */
import { randomUUID } from 'node:crypto';
import { BOOTSTRAP_CLUSTER_ROLES, bootstrapObjects } from '../auth/bootstrap-policy.js';
import type { ServerContext } from '../context.js';
import { crdResourceType } from '../crd/crd-kind.js';
import { formatTime } from '../time-format.js';
import type { KubeObject } from '../types.js';
import { accessReviewTypes } from './access-review-kinds.js';
import { configMapType, namespaceType, secretType } from './core-kinds.js';
import { coreEventType, eventsV1Type } from './events.js';
import { installKinds } from './install-kinds.js';
import { leaseType } from './lease.js';
import { clusterRoleBindingType, clusterRoleType } from './rbac-kinds.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Stores an object the server creates itself, with a uid and a creation time. */
function storeSystemObject(ctx: ServerContext, storageKey: string, object: object): void {
  const stored = structuredClone(object) as KubeObject;
  stored.metadata.uid = randomUUID();
  stored.metadata.creationTimestamp = formatTime(ctx.now());
  ctx.store.put(storageKey, stored);
}

export function registerBuiltins(ctx: ServerContext): void {
  for (const type of [namespaceType, secretType, configMapType, coreEventType]) ctx.registry.add(type);
  ctx.registry.add(eventsV1Type);
  ctx.registry.add(leaseType);
  for (const type of installKinds) ctx.registry.add(type);
  for (const type of accessReviewTypes) ctx.registry.add(type);
  ctx.registry.add(crdResourceType(ctx.compileCrd, () => ctx.now()));
  for (const name of SYSTEM_NAMESPACES) {
    storeSystemObject(ctx, namespaceType.storageKey, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const role of BOOTSTRAP_CLUSTER_ROLES) {
    const { clusterRole, binding } = bootstrapObjects(role);
    storeSystemObject(ctx, clusterRoleType.storageKey, clusterRole);
    storeSystemObject(ctx, clusterRoleBindingType.storageKey, binding);
  }
}
