/** Registers the built-in kinds and creates the namespaces every cluster has. */
import type { ServerContext } from '../context.js';
import { crdResourceType } from '../crd/crd-kind.js';
import { formatTime } from '../time-format.js';
import { randomUUID } from 'node:crypto';
import { configMapType, namespaceType, secretType } from './core-kinds.js';
import { coreEventType, eventsV1Type } from './events.js';
import { installKinds } from './install-kinds.js';
import { leaseType } from './lease.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function registerBuiltins(ctx: ServerContext): void {
  for (const type of [namespaceType, secretType, configMapType, coreEventType]) ctx.registry.add(type);
  ctx.registry.add(eventsV1Type);
  ctx.registry.add(leaseType);
  for (const type of installKinds) ctx.registry.add(type);
  ctx.registry.add(crdResourceType(ctx.compileCrd, () => ctx.now()));
  for (const name of SYSTEM_NAMESPACES) {
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: formatTime(ctx.now()),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    ctx.store.put(namespaceType.storageKey, namespace);
  }
}
