/**
 * Issue 13, items 5 and 6, through the reconciler against the API server and the emulator:
 *
 * - a credential Secret that is already being deleted takes no in-use finalizer (the API server would
 *   answer 422, and the operator used to retry that without end): the delegation stalls with
 *   CredentialsNotFound saying so, and a revocation still uses the Secret for as long as it exists;
 * - the revoke finalizer is removed from the delegation as it is at the end of the revocation, so an
 *   edit made meanwhile does not send the whole revocation round again.
 */
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELEGATION_FINALIZER, SECRET_IN_USE_FINALIZER } from '../../../src/api/constants.js';
import { delegationResource, httpStatusOf, mergePatch } from '../../../src/controller/kube-clients.js';
import {
  NAMESPACE,
  RESYNC_MS,
  conditionSummary,
  delegationSpec,
  startReconcilerRig,
  type ReconcilerRig,
} from './reconciler-rig.js';

let rig: ReconcilerRig;
beforeAll(async () => {
  rig = await startReconcilerRig();
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

const STALLED_ON_CREDENTIALS = { Ready: 'False/CredentialsNotFound', Stalled: 'True/CredentialsNotFound' };
const withOwnerSecret = (id: string, secretName: string) =>
  delegationSpec(id, (spec) => {
    spec.owner.credentials.secretRef.name = secretName;
  });
const message = async (id: string) =>
  (await rig.get(id))?.status?.conditions?.find((c: { type: string }) => c.type === 'Stalled')?.message;

async function patchSecret(name: string, metadata: object): Promise<void> {
  await rig.kube.core.patchNamespacedSecret({ namespace: NAMESPACE, name, body: { metadata } }, mergePatch());
}

describe('a credential Secret that is being deleted', () => {
  it('takes no new finalizer: the delegation stalls, naming the Secret, with no 422 and no hot retry', async () => {
    const id = 'deleting-cred';
    await rig.createSecret(`${id}-a`, rig.cloud.owner);
    // Held by someone else's finalizer, then deleted: it lingers, terminating.
    await patchSecret(`${id}-a`, { finalizers: ['example.com/hold'] });
    await rig.kube.core.deleteNamespacedSecret({ namespace: NAMESPACE, name: `${id}-a` });
    await rig.apply(id, withOwnerSecret(id, `${id}-a`));
    const before = rig.kube.requests.length;

    expect(await rig.reconcile(id)).toEqual({ requeueAfterMs: RESYNC_MS });
    expect(conditionSummary(await rig.get(id))).toEqual(STALLED_ON_CREDENTIALS);
    expect(await message(id)).toMatch(
      new RegExp(`Secret ${NAMESPACE}/${id}-a is being deleted and will be gone: reference another Secret`),
    );
    const secret = (await rig.secret(`${id}-a`))!;
    expect(secret.metadata?.finalizers).toEqual(['example.com/hold']);
    expect(rig.kube.requests.slice(before).filter((r) => r.endsWith(' 422'))).toEqual([]);

    await rig.remove(id);
    await rig.reconcile(id);
    await patchSecret(`${id}-a`, { finalizers: null });
  });

  it('when the operator’s own finalizer holds it: stalls, and still revokes with it before letting go', async () => {
    const id = 'held-cred';
    await rig.createSecret(`${id}-a`, rig.cloud.owner);
    await rig.apply(id, withOwnerSecret(id, `${id}-a`));
    await rig.reconcile(id);
    expect(conditionSummary(await rig.get(id)).Ready).toBe('True/Reconciled');
    expect((await rig.secret(`${id}-a`))!.metadata?.finalizers).toEqual([SECRET_IN_USE_FINALIZER]);

    await rig.kube.core.deleteNamespacedSecret({ namespace: NAMESPACE, name: `${id}-a` });
    expect(await rig.reconcile(id)).toEqual({ requeueAfterMs: RESYNC_MS });
    expect(conditionSummary(await rig.get(id))).toMatchObject(STALLED_ON_CREDENTIALS);
    expect(await message(id)).toContain(`kept by the ${SECRET_IN_USE_FINALIZER} finalizer`);

    // Deleting the delegation revokes with the terminating Secret's keys, then releases it.
    await rig.remove(id);
    await rig.reconcile(id);
    expect(await rig.get(id)).toBeUndefined();
    expect(await rig.cloud.ports(rig.cloud.owner).ram.getRole(id)).toBeUndefined();
    expect(await rig.secret(`${id}-a`)).toBeUndefined();
  });
});

describe('a credential Secret created after its delegation', () => {
  it('is found by a pass 5 s later, though its creation is not watched (no label yet)', async () => {
    const id = 'late-cred';
    await rig.apply(id, withOwnerSecret(id, `${id}-a`));
    expect(await rig.reconcile(id)).toEqual({ requeueAfterMs: 5_000 });
    expect(conditionSummary(await rig.get(id))).toMatchObject(STALLED_ON_CREDENTIALS);
    expect(await message(id)).toBe(`Secret ${NAMESPACE}/${id}-a not found`);

    await rig.createSecret(`${id}-a`, rig.cloud.owner);
    expect((await rig.secret(`${id}-a`))!.metadata?.labels).toBeUndefined();
    expect(await rig.reconcile(id)).toEqual({ requeueAfterMs: RESYNC_MS });
    expect(conditionSummary(await rig.get(id)).Ready).toBe('True/Reconciled');
    expect((await rig.secret(`${id}-a`))!.metadata?.finalizers).toEqual([SECRET_IN_USE_FINALIZER]);

    await rig.remove(id);
    await rig.reconcile(id);
    expect(await rig.get(id)).toBeUndefined();
  });

  it('a delegation being deleted also looks again soon for its absent Secret, and revokes once it exists', async () => {
    const id = 'late-cred-revoke';
    await rig.createSecret(`${id}-a`, rig.cloud.owner);
    await rig.apply(id, withOwnerSecret(id, `${id}-a`));
    await rig.reconcile(id);
    expect(conditionSummary(await rig.get(id)).Ready).toBe('True/Reconciled');
    // The Secret goes (its in-use finalizer taken off by hand), then the delegation is deleted.
    await patchSecret(`${id}-a`, { finalizers: null });
    await rig.kube.core.deleteNamespacedSecret({ namespace: NAMESPACE, name: `${id}-a` });
    await rig.remove(id);
    expect(await rig.reconcile(id)).toEqual({ requeueAfterMs: 5_000 });
    expect(await rig.cloud.ports(rig.cloud.owner).ram.getRole(id)).toBeDefined();

    await rig.createSecret(`${id}-a`, rig.cloud.owner);
    expect(await rig.reconcile(id)).toBeUndefined();
    expect(await rig.get(id)).toBeUndefined();
    expect(await rig.cloud.ports(rig.cloud.owner).ram.getRole(id)).toBeUndefined();
  });
});

describe('removing the revoke finalizer', () => {
  it('re-reads the delegation: an edit made during the revocation does not fail it', async () => {
    const id = 'edited-during-revoke';
    await rig.apply(id, delegationSpec(id));
    await rig.reconcile(id);
    await rig.remove(id);

    // Right before the operator's finalizer patch reaches the server, someone labels the delegation
    // (once). A patch guarded by the resourceVersion read at the start of the pass would get 409.
    const real = rig.kube.customObjects;
    let edited = false;
    rig.kube.customObjects = new Proxy(real, {
      get(target, property, receiver) {
        if (property !== 'patchNamespacedCustomObject') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<CustomObjectsApi['patchNamespacedCustomObject']>) => {
          if (!edited) {
            edited = true;
            await target.patchNamespacedCustomObject(
              {
                ...delegationResource,
                namespace: NAMESPACE,
                name: id,
                body: { metadata: { labels: { seen: 'yes' } } },
              },
              mergePatch(),
            );
          }
          return target.patchNamespacedCustomObject(...args);
        };
      },
    });
    const revocationsBefore = rig.calls.actions.filter((a) => a === 'DeleteRole').length;
    try {
      expect(await rig.reconcile(id)).toBeUndefined();
    } finally {
      rig.kube.customObjects = real;
    }
    expect(edited).toBe(true);
    expect(await rig.get(id)).toBeUndefined();
    expect(rig.calls.actions.filter((a) => a === 'DeleteRole').length - revocationsBefore).toBe(1);
    expect((await rig.events(id)).filter((e) => e.reason === 'Revoked')).toHaveLength(1);
  });

  it('the same edit against the object read at the start of the pass is a 409 (the old way fails)', async () => {
    const id = 'stale-finalizer-patch';
    await rig.apply(id, delegationSpec(id));
    await rig.reconcile(id);
    const stale = (await rig.get(id))!;
    expect(stale.metadata?.finalizers).toEqual([DELEGATION_FINALIZER]);
    await rig.kube.customObjects.patchNamespacedCustomObject(
      {
        ...delegationResource,
        namespace: NAMESPACE,
        name: id,
        body: { metadata: { labels: { seen: 'yes' } } },
      },
      mergePatch(),
    );
    const failure = await rig.kube.customObjects
      .patchNamespacedCustomObject(
        {
          ...delegationResource,
          namespace: NAMESPACE,
          name: id,
          body: { metadata: { resourceVersion: stale.metadata?.resourceVersion, finalizers: null } },
        },
        mergePatch(),
      )
      .catch((error: unknown) => error);
    expect(httpStatusOf(failure)).toBe(409);
    await rig.remove(id);
    await rig.reconcile(id);
    expect(await rig.get(id)).toBeUndefined();
  });
});
