import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { DELEGATION_FINALIZER, SECRET_IN_USE_FINALIZER } from '../../../src/api/constants.js';
import type { CrossAccountDelegationStatus } from '../../../src/api/status.js';
import { mergeConditions } from '../../../src/controller/conditions.js';
import {
  addFinalizer,
  delegationPatcher,
  removeFinalizer,
  secretPatcher,
} from '../../../src/controller/finalizers.js';
import { delegationResource, isConflict } from '../../../src/controller/kube-clients.js';
import { createStatusWriter } from '../../../src/controller/status-writer.js';
import { createDelegation, getDelegation, startKube, type KubeFixture } from './kube-fixture.js';

describe('status writer and finalizers against the API server', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await startKube();
  });
  afterAll(async () => {
    await kube?.stop();
  });

  const statusPatches = (name: string) =>
    kube.requests.filter((line) => line.startsWith('PATCH ') && line.includes(`/${name}/status `));

  it('patches /status once and skips a pass that changes nothing', async () => {
    const created = await createDelegation(kube, 'status-once');
    const writer = createStatusWriter(kube.customObjects);
    const now = new Date('2026-03-04T05:06:07Z');
    const desired: CrossAccountDelegationStatus = {
      observedGeneration: created.metadata?.generation,
      roleArn: 'acs:ram::1111111111111111:role/eventbridge-readonly',
      conditions: mergeConditions(
        [],
        [
          { type: 'Ready', status: 'True', reason: 'Reconciled', message: 'all good', observedGeneration: 1 },
          { type: 'OwnerSynced', status: 'True', reason: 'Reconciled', observedGeneration: 1 },
        ],
        now,
      ),
    };
    expect(await writer.write(created, desired)).toBe(true);
    const after = await getDelegation(kube, 'status-once');
    expect(after.status).toMatchObject({ roleArn: desired.roleArn, observedGeneration: 1 });
    expect(after.status.conditions).toHaveLength(2);
    // The status subresource does not bump the generation.
    expect(after.metadata?.generation).toBe(created.metadata?.generation);
    expect(statusPatches('status-once')).toHaveLength(1);
    expect(statusPatches('status-once')[0]).toMatch(/ 200$/);
    // Without naming the patch type, client-node sends the same body as a JSON patch, which fails:
    // the writer's explicit merge-patch Content-Type is what makes it work.
    await expect(
      kube.customObjects.patchNamespacedCustomObjectStatus({
        ...delegationResource,
        namespace: 'default',
        name: 'status-once',
        body: { status: {} },
      }),
    ).rejects.toMatchObject({ code: expect.any(Number) });
    expect(statusPatches('status-once')).toHaveLength(2);
    expect(statusPatches('status-once')[1]).not.toMatch(/ 200$/);

    // Same content, conditions in another order: no request at all.
    const requestsBefore = kube.requests.length;
    const reordered = { ...desired, conditions: [...desired.conditions!].reverse() };
    expect(await writer.write(after, reordered)).toBe(false);
    expect(kube.requests.length).toBe(requestsBefore);

    // Dropping a field removes it on the server.
    const { roleArn: _dropped, ...withoutArn } = desired;
    expect(await writer.write(after, withoutArn)).toBe(true);
    const final = await getDelegation(kube, 'status-once');
    expect(final.status.roleArn).toBeUndefined();
    expect(final.status.conditions).toHaveLength(2);
    expect(final.spec.role.name).toBe('eventbridge-readonly');
  });

  it('adds and removes the delegation finalizer, guarded by resourceVersion', async () => {
    const created = await createDelegation(kube, 'finalized');
    const patch = delegationPatcher(kube.customObjects);
    const added = await addFinalizer(patch, created, DELEGATION_FINALIZER);
    expect(added.metadata?.finalizers).toEqual([DELEGATION_FINALIZER]);
    // Adding again is a no-op that makes no request.
    const before = kube.requests.length;
    expect(await addFinalizer(patch, added, DELEGATION_FINALIZER)).toBe(added);
    expect(kube.requests.length).toBe(before);

    // A stale copy gets 409 rather than silently overwriting the list.
    await expect(addFinalizer(patch, created, 'example.com/other')).rejects.toSatisfy(isConflict);

    // Deleting waits for the finalizer; removing it lets the object go.
    await kube.customObjects.deleteNamespacedCustomObject({
      ...delegationResource,
      namespace: 'default',
      name: 'finalized',
    });
    const terminating = await getDelegation(kube, 'finalized');
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    const removed = await removeFinalizer(patch, terminating, DELEGATION_FINALIZER);
    expect(removed === undefined || (removed.metadata?.finalizers ?? []).length === 0).toBe(true);
    await expect(getDelegation(kube, 'finalized')).rejects.toMatchObject({ code: 404 });
    // Removing from an object that is already gone is done, not an error.
    expect(await removeFinalizer(patch, terminating, DELEGATION_FINALIZER)).toBeUndefined();
  });

  it('adds and removes the in-use finalizer on a Secret', async () => {
    const secret = (await kube.core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: { name: 'enterprise-a', finalizers: ['example.com/keep'] },
        stringData: { accessKeyId: 'id', accessKeySecret: 'secret' },
      },
    })) as KubernetesObject;
    const patch = secretPatcher(kube.core);
    const added = await addFinalizer(patch, secret, SECRET_IN_USE_FINALIZER);
    expect(added.metadata?.finalizers).toEqual(['example.com/keep', SECRET_IN_USE_FINALIZER]);
    const removed = await removeFinalizer(patch, added, SECRET_IN_USE_FINALIZER);
    expect(removed?.metadata?.finalizers).toEqual(['example.com/keep']);
  });
});
