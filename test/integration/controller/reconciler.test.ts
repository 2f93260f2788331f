/**
 * The reconciler in-process, called per key against the project's Kubernetes API server and the Alibaba
 * Cloud emulator (real clients on both sides): what one pass leaves behind for each kind of delegation,
 * and what the passes after a change do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELEGATION_FINALIZER, SECRET_IN_USE_FINALIZER } from '../../../src/api/constants.js';
import { delegationResource } from '../../../src/controller/kube-clients.js';
import { OWNER_ACCOUNT } from '../../support/cloud.js';
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

const ownerRam = () => rig.cloud.ports(rig.cloud.owner).ram;
const authorizedRam = () => rig.cloud.ports(rig.cloud.authorized).ram;
const customPolicy = (id: string) => ({ policyName: `${id}-publish`, policyType: 'Custom' as const });
const eventReasons = async (name: string) => (await rig.events(name)).map((e) => `${e.type}/${e.reason}`);

const READY = {
  Ready: 'True/Reconciled',
  OwnerSynced: 'True/Reconciled',
  AuthorizedSynced: 'True/Reconciled',
  AccessVerified: 'True/AssumeRoleSucceeded',
};
const stalledOnOwner = (reason: string) => ({
  OwnerSynced: `False/${reason}`,
  AuthorizedSynced: 'Unknown/Progressing',
  AccessVerified: 'Unknown/NotVerified',
  Ready: `False/${reason}`,
  Stalled: `True/${reason}`,
});
const stalledBeforeTheCloud = (reason: string) => ({ Ready: `False/${reason}`, Stalled: `True/${reason}` });

interface FirstPassCase {
  name: string;
  /** Prefix of every name the case creates (delegation, role, policy, users, Secrets). */
  id: string;
  spec?: (spec: Record<string, any>) => void;
  arrange?: (id: string) => Promise<void>;
  conditions: Record<string, string>;
  /** What the pass tells the work queue: requeue after a delay, or throw for a backoff retry. */
  outcome: { requeueAfterMs: number } | 'throws';
  /** Whether the pass may write in the cloud: no calls at all, reads only, or anything. */
  cloud: 'no calls' | 'reads only' | 'writes';
  check?: (id: string) => Promise<void>;
  cleanup?: () => Promise<void>;
}

const firstPass: FirstPassCase[] = [
  {
    name: 'a new delegation becomes Ready: role, users, grant, Secrets, verified access',
    id: 'fresh',
    conditions: READY,
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'writes',
    check: async (id) => {
      const object = (await rig.get(id))!;
      expect(object.status.observedGeneration).toBe(object.metadata?.generation);
      expect(object.status.roleArn).toBe(`acs:ram::${OWNER_ACCOUNT}:role/${id}`);
      expect(object.status.users.map((u: any) => u.name)).toEqual([`${id}-publisher`, `${id}-alice`]);
      expect(object.metadata?.finalizers).toEqual([DELEGATION_FINALIZER]);
      const ak = (await rig.secret(`${id}-ak`))!;
      expect(Object.keys(ak.data ?? {}).sort()).toEqual(['accessKeyId', 'accessKeySecret']);
      expect(ak.metadata?.ownerReferences?.[0]?.uid).toBe(object.metadata?.uid);
      expect(Object.keys((await rig.secret(`${id}-login`))!.data ?? {}).sort()).toEqual([
        'password',
        'userPrincipalName',
      ]);
      expect((await rig.secret('enterprise-a'))!.metadata?.finalizers).toContain(SECRET_IN_USE_FINALIZER);
      expect(await ownerRam().listPoliciesForRole(id)).toEqual([customPolicy(id)]);
      expect(await authorizedRam().getUser(`${id}-publisher`)).toBeDefined();
      expect(await eventReasons(id)).toEqual(['Normal/Created']);
    },
  },
  {
    name: 'a spec only the runtime validation refuses stalls InvalidSpec, calling no cloud',
    id: 'invalid',
    spec: (spec) => {
      spec.policies = [
        { system: 'AliyunEventBridgeReadOnlyAccess' },
        { system: 'AliyunEventBridgeReadOnlyAccess' },
      ];
    },
    conditions: {
      Ready: 'False/InvalidSpec',
      Stalled: 'True/InvalidSpec',
      OwnerSynced: 'Unknown/InvalidSpec',
      AuthorizedSynced: 'Unknown/InvalidSpec',
      AccessVerified: 'Unknown/NotVerified',
    },
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'no calls',
  },
  {
    name: 'a missing credential Secret stalls CredentialsNotFound, calling no cloud',
    id: 'no-secret',
    spec: (spec) => {
      spec.owner.credentials.secretRef.name = 'no-secret-a';
    },
    conditions: stalledBeforeTheCloud('CredentialsNotFound'),
    // Its creation is not watched (it carries no label yet): looked at again soon, not at the resync.
    outcome: { requeueAfterMs: 5_000 },
    cloud: 'no calls',
    check: async (id) => {
      const warnings = (await rig.events(id)).filter((e) => e.reason === 'ReconcileError');
      expect(warnings.map((e) => e.note)).toEqual([
        `CredentialsNotFound: Secret ${NAMESPACE}/no-secret-a not found`,
      ]);
    },
  },
  {
    name: 'keys of another account stall CredentialsAccountMismatch and write in neither account',
    id: 'mismatch',
    arrange: async (id) => rig.createSecret(`${id}-wrong-a`, rig.cloud.authorized),
    spec: (spec) => {
      spec.owner.credentials.secretRef.name = 'mismatch-wrong-a';
    },
    conditions: stalledOnOwner('CredentialsAccountMismatch'),
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'reads only',
    check: async (id) => {
      // A's wrong keys are asked who they are; B's identity may be remembered from an earlier pass
      // (its Secret has not changed since), so it is asked at most once.
      expect(rig.calls.actions[0]).toBe('GetCallerIdentity');
      expect(new Set(rig.calls.actions)).toEqual(new Set(['GetCallerIdentity']));
      expect(rig.calls.actions.length).toBeLessThanOrEqual(2);
      expect(await eventReasons(id)).toEqual(['Warning/ReconcileError']);
    },
  },
  {
    name: 'a same-named role without this delegation’s tag stalls EntityNotManaged and stays untouched',
    id: 'taken',
    arrange: async (id) => {
      await ownerRam().createRole({
        roleName: id,
        trustPolicy: JSON.stringify({
          Version: '1',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { RAM: ['acs:ram::1111111111111111:root'] },
            },
          ],
        }),
        description: 'made by hand',
        maxSessionDuration: 3600,
      });
    },
    conditions: stalledOnOwner('EntityNotManaged'),
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'reads only',
    check: async (id) => {
      expect((await ownerRam().getRole(id))?.description).toBe('made by hand');
      expect(await ownerRam().listTags('role', id)).toEqual({});
    },
  },
  {
    name: 'a user Secret this delegation does not own stalls EntityNotManaged and is left alone',
    id: 'foreign-secret',
    arrange: async (id) => rig.createSecret(`${id}-ak`, rig.cloud.owner),
    conditions: stalledBeforeTheCloud('EntityNotManaged'),
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'no calls',
    check: async (id) => {
      const secret = (await rig.secret(`${id}-ak`))!;
      expect(secret.metadata?.ownerReferences ?? []).toEqual([]);
      expect(Buffer.from(secret.data!.accessKeyId!, 'base64').toString()).toBe(rig.cloud.owner.accessKeyId);
    },
  },
  {
    name: 'suspend: Ready, with the role stripped of every policy and access not verified',
    id: 'suspended',
    spec: (spec) => {
      spec.suspend = true;
    },
    conditions: {
      OwnerSynced: 'True/Suspended',
      AuthorizedSynced: 'True/Reconciled',
      AccessVerified: 'False/Suspended',
      Ready: 'True/Suspended',
    },
    outcome: { requeueAfterMs: RESYNC_MS },
    cloud: 'writes',
    check: async (id) => {
      expect(await ownerRam().getRole(id)).toBeDefined();
      expect(await ownerRam().listPoliciesForRole(id)).toEqual([]);
    },
  },
  {
    name: 'throttling fails the pass for a backoff retry: Reconciling, observedGeneration kept',
    id: 'throttled',
    arrange: async () => {
      await rig.cloud.admin('PUT', '/_emulator/faults', { throttleRate: 1, throttleRetryAfterMs: 10 });
    },
    conditions: { Ready: 'False/Throttled', Reconciling: 'True/Throttled' },
    outcome: 'throws',
    cloud: 'reads only',
    cleanup: async () => {
      await rig.cloud.admin('PUT', '/_emulator/faults', { throttleRate: 0, throttleRetryAfterMs: 1000 });
    },
    check: async (id) => {
      expect((await rig.get(id))!.status.observedGeneration).toBeUndefined();
      await rig.cloud.admin('PUT', '/_emulator/faults', { throttleRate: 0, throttleRetryAfterMs: 1000 });
      await rig.reconcile(id);
      expect(conditionSummary(await rig.get(id))).toEqual(READY);
    },
  },
];

describe('the first pass over a new delegation', () => {
  it.each(firstPass)('$name', async (c) => {
    try {
      await c.arrange?.(c.id);
      await rig.apply(c.id, delegationSpec(c.id, c.spec));
      rig.calls.reset();
      const pass = rig.reconcile(c.id);
      if (c.outcome === 'throws') await expect(pass).rejects.toThrow();
      else expect(await pass).toEqual(c.outcome);
      expect(conditionSummary(await rig.get(c.id))).toEqual(c.conditions);
      if (c.cloud === 'no calls') expect(rig.calls.actions).toEqual([]);
      if (c.cloud === 'reads only') expect(rig.calls.writes).toBe(0);
      if (c.cloud === 'writes') expect(rig.calls.writes).toBeGreaterThan(0);
      await c.check?.(c.id);
    } finally {
      await c.cleanup?.();
    }
  });
});

interface ChangeCase {
  name: string;
  id: string;
  spec?: (spec: Record<string, any>) => void;
  /** Done to a Ready delegation before the next pass. */
  act: (id: string) => Promise<void>;
  outcome: { requeueAfterMs: number } | undefined;
  check: (id: string) => Promise<void>;
}

const afterReady: ChangeCase[] = [
  {
    name: 'deletion revokes both accounts, deletes the user Secrets and drops the finalizer',
    id: 'deleted',
    act: (id) => rig.remove(id),
    outcome: undefined,
    check: async (id) => {
      expect(await rig.get(id)).toBeUndefined();
      expect(await ownerRam().getRole(id)).toBeUndefined();
      expect(await ownerRam().getPolicy(customPolicy(id))).toBeUndefined();
      expect(await authorizedRam().getUser(`${id}-publisher`)).toBeUndefined();
      expect(await authorizedRam().getUser(`${id}-alice`)).toBeUndefined();
      expect(await rig.secret(`${id}-ak`)).toBeUndefined();
      expect(await rig.secret(`${id}-login`)).toBeUndefined();
      expect(await eventReasons(id)).toEqual(['Normal/Created', 'Normal/Revoked']);
    },
  },
  {
    name: 'deletion with deletionPolicy Orphan leaves every entity where it is',
    id: 'orphaned',
    spec: (spec) => {
      spec.deletionPolicy = 'Orphan';
    },
    act: (id) => rig.remove(id),
    outcome: undefined,
    check: async (id) => {
      expect(await rig.get(id)).toBeUndefined();
      expect(await ownerRam().listPoliciesForRole(id)).toEqual([customPolicy(id)]);
      expect(await authorizedRam().getUser(`${id}-publisher`)).toBeDefined();
      expect(await eventReasons(id)).toEqual(['Normal/Created']);
    },
  },
  {
    name: 'drift is put back on the next pass, with a DriftCorrected Warning and the drift metric',
    id: 'drifted',
    act: (id) => ownerRam().detachPolicyFromRole(customPolicy(id), id),
    outcome: { requeueAfterMs: RESYNC_MS },
    check: async (id) => {
      expect(await ownerRam().listPoliciesForRole(id)).toEqual([customPolicy(id)]);
      expect(await eventReasons(id)).toEqual(['Normal/Created', 'Warning/DriftCorrected']);
      const drift = await rig.metrics.driftCorrections.get();
      expect(drift.values.find((v) => v.labels.side === 'owner')?.value).toBeGreaterThanOrEqual(1);
      expect(conditionSummary(await rig.get(id))).toEqual(READY);
    },
  },
  {
    name: 'a spec change is applied as an update, not drift, and moves observedGeneration',
    id: 'edited',
    act: async (id) => {
      await rig.kube.customObjects.patchNamespacedCustomObject({
        ...delegationResource,
        namespace: NAMESPACE,
        name: id,
        body: [{ op: 'replace', path: '/spec/role/description', value: 'edited in Git' }],
      });
    },
    outcome: { requeueAfterMs: RESYNC_MS },
    check: async (id) => {
      const object = (await rig.get(id))!;
      expect(object.metadata?.generation).toBe(2);
      expect(object.status.observedGeneration).toBe(2);
      expect((await ownerRam().getRole(id))?.description).toBe('edited in Git');
      expect(await eventReasons(id)).toEqual(['Normal/Created', 'Normal/Updated']);
    },
  },
  {
    name: 'a pass with nothing to do writes nothing, neither in the cloud nor in the status',
    id: 'idle',
    act: async () => {},
    outcome: { requeueAfterMs: RESYNC_MS },
    check: async (id) => {
      expect(rig.calls.writes).toBe(0);
      // Both from the first pass: the record written ahead of its creates, then its status.
      expect(
        rig.kube.requests.filter((r) => r.startsWith('PATCH ') && r.includes(`/${id}/status `)),
      ).toHaveLength(2);
      expect(await eventReasons(id)).toEqual(['Normal/Created']);
    },
  },
];

describe('the passes after a delegation is Ready', () => {
  it.each(afterReady)('$name', async (c) => {
    await rig.apply(c.id, delegationSpec(c.id, c.spec));
    await rig.reconcile(c.id);
    expect(conditionSummary(await rig.get(c.id))).toEqual(READY);
    await c.act(c.id);
    rig.calls.reset();
    expect(await rig.reconcile(c.id)).toEqual(c.outcome);
    await c.check(c.id);
  });
});
