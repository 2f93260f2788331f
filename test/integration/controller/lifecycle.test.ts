/**
 * Issue #15 through the reconciler, in-process against our API server and the emulator on one clock the
 * test moves: expiry (requeue at the second, revoked like suspend, Ready=False Expired, Events once,
 * back when moved later), the last-used review (GetAccessKeyLastUsed once per resync period, the
 * Warning once when a key goes unused) and timed rotation passes with the rotate annotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROTATED_FOR_ANNOTATION, ROTATE_ACCESS_KEYS_ANNOTATION } from '../../../src/api/constants.js';
import { delegationResource } from '../../../src/controller/kube-clients.js';
import { AUTHORIZED_ACCOUNT } from '../../support/cloud.js';
import {
  NAMESPACE,
  RESYNC_MS,
  conditionSummary,
  delegationSpec,
  startReconcilerRig,
  type ReconcilerRig,
} from './reconciler-rig.js';

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const advance = (seconds: number) => (offsetMs += seconds * 1000);
const UNUSED_MS = 120_000;
const LOOKUP_INTERVAL_MS = 30_000;

let rig: ReconcilerRig;
beforeAll(async () => {
  rig = await startReconcilerRig({
    clock,
    lifecycle: { unusedKeyWarningMs: UNUSED_MS, lastUsedIntervalMs: LOOKUP_INTERVAL_MS },
  });
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

const ownerRam = () => rig.cloud.ports(rig.cloud.owner).ram;
const eventReasons = async (name: string) => (await rig.events(name)).map((e) => `${e.type}/${e.reason}`);
const requeue = async (name: string) =>
  ((await rig.reconcile(name)) as { requeueAfterMs: number }).requeueAfterMs;
const iso = (at: Date) => at.toISOString().replace(/\.\d+Z$/, 'Z');
const gauge = async (name: string, labels: string) =>
  Number(
    (await rig.metrics.registry.metrics())
      .split('\n')
      .find((line) => line.startsWith(`${name}{${labels}}`))
      ?.split(' ')[1] ?? NaN,
  );
const patchSpec = (name: string, path: string, value: unknown) =>
  rig.kube.customObjects.patchNamespacedCustomObject({
    ...delegationResource,
    namespace: NAMESPACE,
    name,
    body: [{ op: 'add', path, value }],
  });
const secretKey = async (name: string) => {
  const secret = (await rig.secret(name))!;
  const value = (key: string) => Buffer.from(secret.data![key]!, 'base64').toString();
  return {
    accessKeyId: value('accessKeyId'),
    accessKeySecret: value('accessKeySecret'),
    annotations: secret.metadata?.annotations ?? {},
  };
};

describe('expiry', () => {
  it('warns once, revokes at the second like suspend, and grants again when moved later', async () => {
    const id = 'exp';
    const expiresAt = iso(new Date(clock().getTime() + 60_000));
    await rig.apply(
      id,
      delegationSpec(id, (spec) => (spec.expiresAt = expiresAt)),
    );

    // Within the default week of warning: ExpiresSoon at once; the pass comes back at the expiry.
    const wait = await requeue(id);
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    let object = (await rig.get(id))!;
    expect(conditionSummary(object).Ready).toBe('True/Reconciled');
    expect(object.status).toMatchObject({ expiresAt, expiresSoon: true });
    expect(await eventReasons(id)).toEqual(['Normal/Created', 'Warning/ExpiresSoon']);
    expect(
      await gauge('ram_delegation_seconds_to_expiry', `namespace="${NAMESPACE}",name="${id}"`),
    ).toBeGreaterThan(55);

    await rig.reconcile(id);
    expect(await eventReasons(id)).toEqual(['Normal/Created', 'Warning/ExpiresSoon']);

    advance(wait / 1000);
    rig.calls.reset();
    expect(await requeue(id)).toBe(RESYNC_MS);
    object = (await rig.get(id))!;
    expect(conditionSummary(object)).toEqual({
      OwnerSynced: 'True/Expired',
      AuthorizedSynced: 'True/Reconciled',
      AccessVerified: 'False/Expired',
      Ready: 'False/Expired',
    });
    expect(object.status.expiresSoon).toBeUndefined();
    expect(await ownerRam().listPoliciesForRole(id)).toEqual([]);
    expect((await ownerRam().getRole(id))?.roleName).toBe(id);
    expect(rig.calls.writeActions()).toEqual(['DetachPolicyFromRole']);
    expect(await eventReasons(id)).toEqual([
      'Normal/Created',
      'Warning/ExpiresSoon',
      'Normal/Updated',
      'Warning/Expired',
    ]);
    expect(
      await gauge('ram_delegation_seconds_to_expiry', `namespace="${NAMESPACE}",name="${id}"`),
    ).toBeLessThanOrEqual(0);

    // A resync of the expired delegation: nothing to write, nothing to tell.
    rig.calls.reset();
    await rig.reconcile(id);
    expect(rig.calls.writes).toBe(0);
    expect((await eventReasons(id)).filter((r) => r === 'Warning/Expired')).toHaveLength(1);

    const later = iso(new Date(clock().getTime() + 3_600_000));
    await patchSpec(id, '/spec/expiresAt', later);
    await rig.reconcile(id);
    object = (await rig.get(id))!;
    expect(conditionSummary(object)).toMatchObject({
      Ready: 'True/Reconciled',
      AccessVerified: 'True/AssumeRoleSucceeded',
    });
    expect(object.status.expiresAt).toBe(later);
    expect((await ownerRam().listPoliciesForRole(id)).map((p) => p.policyName)).toEqual([`${id}-publish`]);
  });
});

describe('the last-used review', () => {
  it('looks each key up once per resync period, and warns once when it goes unused', async () => {
    const id = 'used';
    await rig.apply(id, delegationSpec(id));
    await rig.reconcile(id);
    const user = () =>
      rig.get(id).then((o) => o!.status.users.find((u: any) => u.name === `${id}-publisher`));
    const first = await user();
    expect(first.accessKeyCreated).toMatch(/Z$/);
    expect(first.accessKeyLastUsed).toBeDefined(); // the verifying AssumeRole used it
    const lookups = () => rig.calls.actions.filter((a) => a === 'GetAccessKeyLastUsed').length;

    // A resync right after: no lookup, and no verifying AssumeRole that would count as a use.
    rig.calls.reset();
    await rig.reconcile(id);
    expect(lookups()).toBe(0);
    expect(rig.calls.actions).not.toContain('AssumeRole');

    advance(40);
    const key = await secretKey(`${id}-ak`);
    const usedAt = iso(clock());
    await rig.cloud.ports({ accountId: AUTHORIZED_ACCOUNT, ...key }).sts.getCallerIdentity();
    rig.calls.reset();
    await rig.reconcile(id);
    expect(lookups()).toBe(1);
    expect((await user()).accessKeyLastUsed >= usedAt).toBe(true);
    expect((await user()).accessKeyUnused).toBeUndefined();

    advance(UNUSED_MS / 1000 + 10);
    await rig.reconcile(id);
    expect((await user()).accessKeyUnused).toBe(true);
    const labels = `namespace="${NAMESPACE}",name="${id}",user="${id}-publisher"`;
    expect(await gauge('ram_delegation_access_key_idle_seconds', labels)).toBeGreaterThan(UNUSED_MS / 1000);
    expect(await gauge('ram_delegation_access_key_age_seconds', labels)).toBeGreaterThan(UNUSED_MS / 1000);
    advance(LOOKUP_INTERVAL_MS / 1000);
    await rig.reconcile(id);
    const warnings = (await rig.events(id)).filter((e) => e.reason === 'AccessKeyUnused');
    expect(warnings.map((e) => [e.type, e.series?.count])).toEqual([['Warning', undefined]]);
    expect(warnings[0]?.note).toMatch(new RegExp(`user ${id}-publisher .*longer than 2m`));

    await rig.cloud.ports({ accountId: AUTHORIZED_ACCOUNT, ...key }).sts.getCallerIdentity();
    advance(LOOKUP_INTERVAL_MS / 1000);
    await rig.reconcile(id);
    expect((await user()).accessKeyUnused).toBeUndefined();
  });
});

describe('timed rotation passes', () => {
  it('come back on the second for each step; the annotation rotates at once, once', async () => {
    const id = 'rot';
    await rig.apply(
      id,
      delegationSpec(id, (spec) => (spec.users[0].accessKeyRotation = { after: '20s', gracePeriod: '10s' })),
    );
    const toRotation = await requeue(id);
    expect(toRotation).toBeGreaterThan(15_000);
    expect(toRotation).toBeLessThanOrEqual(20_000);
    const first = await secretKey(`${id}-ak`);

    advance(toRotation / 1000);
    const toDeactivation = await requeue(id);
    expect(toDeactivation).toBeGreaterThan(5_000);
    expect(toDeactivation).toBeLessThanOrEqual(10_000);
    const second = await secretKey(`${id}-ak`);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(await eventReasons(id)).toContain('Normal/AccessKeyRotated');
    expect((await rig.get(id))!.status.users[0].accessKeyCreated).toBeDefined();

    advance(toDeactivation / 1000);
    await rig.reconcile(id);
    const keys = await rig.cloud.ports(rig.cloud.authorized).ram.listAccessKeys(`${id}-publisher`);
    expect(keys.map((k) => [k.accessKeyId, k.status]).sort()).toEqual(
      [
        [first.accessKeyId, 'Inactive'],
        [second.accessKeyId, 'Active'],
      ].sort(),
    );
    expect(await eventReasons(id)).not.toContain('Warning/DriftCorrected');

    await rig.kube.customObjects.patchNamespacedCustomObject({
      ...delegationResource,
      namespace: NAMESPACE,
      name: id,
      body: [{ op: 'add', path: '/metadata/annotations', value: { [ROTATE_ACCESS_KEYS_ANNOTATION]: 'now' } }],
    });
    await rig.reconcile(id);
    const third = await secretKey(`${id}-ak`);
    expect(third.accessKeyId).not.toBe(second.accessKeyId);
    expect(third.annotations[ROTATED_FOR_ANNOTATION]).toBe('now');
    await rig.reconcile(id);
    expect((await secretKey(`${id}-ak`)).accessKeyId).toBe(third.accessKeyId);
    expect((await rig.events(id)).filter((e) => e.reason === 'AccessKeyRotated')).toHaveLength(2);
  });
});
