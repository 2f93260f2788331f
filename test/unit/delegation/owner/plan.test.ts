import { describe, expect, it } from 'vitest';
import { Reason } from '../../../../src/api/constants.js';
import type { CrossAccountDelegationSpecInput } from '../../../../src/api/spec.js';
import type { OwnerAction } from '../../../../src/delegation/owner/actions.js';
import type { DesiredOwner } from '../../../../src/delegation/owner/desired.js';
import type { ObservedOwner, ObservedPolicy } from '../../../../src/delegation/owner/observed.js';
import { oldestNonDefault, planOwner, type OwnerPlanOptions } from '../../../../src/delegation/owner/plan.js';
import { serializePolicy } from '../../../../src/delegation/policy-compare.js';
import {
  B,
  CUSTOM,
  ROLE,
  SYSTEM,
  applied,
  converged,
  desired,
  empty,
  otherOwnership,
  ownership,
  publishDocument,
  version,
} from './fixtures.js';

const role = `role/${ROLE}`;
const custom = `policy/${CUSTOM}`;
const attachSystem = `attachment/${SYSTEM}->role/${ROLE}`;
const attachCustom = `attachment/${CUSTOM}->role/${ROLE}`;
const tags = { [ownership.tagKey]: ownership.tagValue };
const widerDocument = serializePolicy({
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['eventbridge:PutEvents', 'eventbridge:ListEventBuses'], Resource: ['*'] },
  ],
});

/** Mutable copy of an observation, so cases can edit it. */
function edit(
  observed: ObservedOwner,
  change: (o: ObservedOwner & { customPolicies: Map<string, ObservedPolicy | undefined> }) => void,
): ObservedOwner {
  const copy = structuredClone({ ...observed, customPolicies: [...observed.customPolicies] });
  const editable = { ...copy, customPolicies: new Map(copy.customPolicies) };
  change(editable);
  return editable;
}

function policyOf(o: ObservedOwner, name = CUSTOM): ObservedPolicy {
  const p = o.customPolicies.get(name);
  if (!p) throw new Error(`no observed policy ${name}`);
  return p;
}

/** Which role fields an updateRole action sets. */
function updatedFields(action: OwnerAction | undefined): string[] {
  return Object.keys(action ?? {})
    .filter((k) => ['trustPolicy', 'maxSessionDuration', 'description'].includes(k))
    .sort();
}

interface Case {
  name: string;
  spec?: Partial<CrossAccountDelegationSpecInput>;
  /** What RAM holds, built from the desired state. */
  observed: (want: DesiredOwner) => ObservedOwner;
  options?: Partial<OwnerPlanOptions>;
  /** `<phase> <kind> <entity>`, in any order inside a phase. */
  actions?: string[];
  blocked?: { reason: string; mentions: string[] };
  /** Extra assertions on the actions. */
  check?: (actions: OwnerAction[]) => void;
}

const cases: Case[] = [
  {
    name: 'from scratch: create role and policy, then attach both',
    observed: empty,
    actions: [
      `1 createRole ${role}`,
      `1 createPolicy ${custom}`,
      `3 attachPolicy ${attachSystem}`,
      `3 attachPolicy ${attachCustom}`,
    ],
    check: (actions) => {
      const create = actions.find((a) => a.kind === 'createRole');
      expect(create).toMatchObject({
        roleName: ROLE,
        maxSessionDuration: 3600,
        description: 'Lets Enterprise B publish to the orders bus',
        tags,
      });
      expect(actions.find((a) => a.kind === 'createPolicy')).toMatchObject({
        document: JSON.stringify(publishDocument),
        tags,
      });
    },
  },
  { name: 'converged: no actions', observed: converged, actions: [] },
  {
    name: 'converged on a resync: still no actions',
    observed: converged,
    options: { correctionsAreDrift: true },
    actions: [],
  },
  {
    name: 'trust policy changed out of band: update the trust policy only',
    observed: (w) =>
      edit(
        converged(w),
        (o) =>
          (o.role!.info.trustPolicy = serializePolicy({
            Version: '1',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Principal: { RAM: ['acs:ram::3333333333333333:root'] },
              },
            ],
          })),
      ),
    options: { correctionsAreDrift: true },
    actions: [`1 updateRole ${role}`],
    check: ([update]) => {
      expect(update).toMatchObject({ kind: 'updateRole', trustPolicy: desired().role.trustPolicy });
      expect(updatedFields(update)).toEqual(['trustPolicy']);
    },
  },
  {
    name: 'trust policy only formatted differently (pretty, string vs list, key order): no update',
    observed: (w) =>
      edit(
        converged(w),
        (o) =>
          (o.role!.info.trustPolicy = JSON.stringify(
            {
              Statement: [
                { Principal: { RAM: `acs:ram::${B}:root` }, Action: 'STS:AssumeRole', Effect: 'Allow' },
              ],
              Version: '1',
            },
            null,
            4,
          )),
      ),
    actions: [],
  },
  {
    name: 'MFA condition removed out of band: update the trust policy',
    spec: {
      role: {
        name: ROLE,
        description: 'Lets Enterprise B publish to the orders bus',
        trust: { requireMFA: true },
      },
    },
    observed: (w) => edit(converged(w), (o) => (o.role!.info.trustPolicy = desired().role.trustPolicy)),
    actions: [`1 updateRole ${role}`],
  },
  {
    name: 'max session duration changed: update it only',
    spec: {
      role: {
        name: ROLE,
        description: 'Lets Enterprise B publish to the orders bus',
        maxSessionDuration: 7200,
      },
    },
    observed: (w) => edit(converged(w), (o) => (o.role!.info.maxSessionDuration = 3600)),
    actions: [`1 updateRole ${role}`],
    check: ([update]) => {
      expect(update).toMatchObject({ maxSessionDuration: 7200 });
      expect(updatedFields(update)).toEqual(['maxSessionDuration']);
    },
  },
  {
    name: 'description removed from the spec: clear it',
    spec: { role: { name: ROLE } },
    observed: (w) => edit(converged(w), (o) => (o.role!.info.description = 'old text')),
    actions: [`1 updateRole ${role}`],
    check: ([update]) => {
      expect(update).toMatchObject({ description: '' });
      expect(updatedFields(update)).toEqual(['description']);
    },
  },
  {
    name: 'trust, duration and description all differ: one update with three fields',
    observed: (w) =>
      edit(converged(w), (o) => {
        o.role!.info.trustPolicy = '{"Version":"1","Statement":[]}';
        o.role!.info.maxSessionDuration = 43200;
        o.role!.info.description = 'x';
      }),
    actions: [`1 updateRole ${role}`],
    check: ([update]) =>
      expect(updatedFields(update)).toEqual(['description', 'maxSessionDuration', 'trustPolicy']),
  },
  {
    name: 'extra system policy attached out of band: detach it first',
    observed: (w) =>
      edit(converged(w), (o) =>
        o.role!.attached.push({ policyName: 'AdministratorAccess', policyType: 'System' }),
      ),
    options: { correctionsAreDrift: true },
    actions: [`1 detachPolicy attachment/AdministratorAccess->role/${ROLE}`],
  },
  {
    name: 'extra custom policy (not ours) attached out of band: detach it, never delete it',
    observed: (w) =>
      edit(converged(w), (o) => o.role!.attached.push({ policyName: 'hand-made', policyType: 'Custom' })),
    actions: [`1 detachPolicy attachment/hand-made->role/${ROLE}`],
  },
  {
    name: 'custom policy detached out of band: attach it again',
    observed: (w) =>
      edit(
        converged(w),
        (o) => (o.role!.attached = o.role!.attached.filter((r) => r.policyType === 'System')),
      ),
    options: { correctionsAreDrift: true },
    actions: [`3 attachPolicy ${attachCustom}`],
  },
  {
    name: 'same name, other type attached (a custom policy named like the system one): detach and attach',
    observed: (w) =>
      edit(
        converged(w),
        (o) =>
          (o.role!.attached = [
            { policyName: SYSTEM, policyType: 'Custom' },
            { policyName: CUSTOM, policyType: 'Custom' },
          ]),
      ),
    actions: [`1 detachPolicy ${attachSystem}`, `3 attachPolicy ${attachSystem}`],
  },
  {
    name: 'document changed out of band (2 versions): new default version',
    observed: (w) =>
      edit(converged(w), (o) => {
        const p = policyOf(o);
        p.info.document = widerDocument;
        p.versions = [version(1, false, w.customPolicies[0]!.document), version(2, true, widerDocument)];
      }),
    options: { correctionsAreDrift: true },
    actions: [`2 createPolicyVersion ${custom}`],
    check: ([a]) => expect(a).toMatchObject({ document: desired().customPolicies[0]!.document }),
  },
  {
    name: 'document changed at the 5-version limit: delete the oldest non-default version first',
    observed: (w) =>
      edit(converged(w), (o) => {
        const p = policyOf(o);
        p.info.document = widerDocument;
        p.versions = [
          version(3, false, 'a'),
          version(4, false, 'b'),
          version(5, false, 'c'),
          version(6, false, 'd'),
          version(7, true, widerDocument),
        ];
      }),
    actions: [`1 deletePolicyVersion ${custom}@v3`, `2 createPolicyVersion ${custom}`],
  },
  {
    name: 'at the limit with the oldest version being the default: delete the oldest non-default one',
    observed: (w) =>
      edit(converged(w), (o) => {
        const p = policyOf(o);
        p.info.document = widerDocument;
        p.versions = [
          version(1, true, widerDocument),
          version(2, false, 'a'),
          version(3, false, 'b'),
          version(4, false, 'c'),
          version(5, false, 'd'),
        ];
      }),
    actions: [`1 deletePolicyVersion ${custom}@v2`, `2 createPolicyVersion ${custom}`],
  },
  {
    name: 'document changed, 4 versions: no version deleted',
    observed: (w) =>
      edit(converged(w), (o) => {
        const p = policyOf(o);
        p.info.document = widerDocument;
        p.versions = [
          version(1, false, 'a'),
          version(2, false, 'b'),
          version(3, false, 'c'),
          version(4, true, widerDocument),
        ];
      }),
    actions: [`2 createPolicyVersion ${custom}`],
  },
  {
    name: 'document changed but versions not read: rely on the port (RotateStrategy)',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).info.document = widerDocument)),
    actions: [`2 createPolicyVersion ${custom}`],
  },
  {
    name: 'document only formatted differently (pretty, Action case, key order): no new version',
    observed: (w) =>
      edit(converged(w), (o) => {
        policyOf(o).info.document = JSON.stringify(
          {
            Statement: [
              {
                Resource: publishDocument.Statement[0]!.Resource[0],
                Action: 'EventBridge:putEvents',
                Effect: 'Allow',
              },
            ],
            Version: '1',
          },
          null,
          2,
        );
      }),
    actions: [],
  },
  {
    name: 'the spec changed the document: new version, not drift',
    spec: {
      policies: [
        { system: SYSTEM },
        {
          custom: {
            name: CUSTOM,
            document: {
              Version: '1',
              Statement: [{ Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' }],
            },
          },
        },
      ],
    },
    observed: (w) => edit(converged(w), (o) => (policyOf(o).info.document = JSON.stringify(publishDocument))),
    actions: [`2 createPolicyVersion ${custom}`],
  },
  {
    name: 'policy removed from the spec: detach it, then delete it',
    spec: { policies: [{ system: SYSTEM }] },
    observed: (w) =>
      edit(converged(w), (o) => {
        o.role!.attached.push({ policyName: CUSTOM, policyType: 'Custom' });
        o.taggedPolicies = [CUSTOM];
      }),
    actions: [`1 detachPolicy ${attachCustom}`, `4 deletePolicy ${custom}`],
  },
  {
    name: 'tagged leftover policy that is not attached: delete it',
    observed: (w) => edit(converged(w), (o) => (o.taggedPolicies = [...o.taggedPolicies, 'old-policy'])),
    actions: ['4 deletePolicy policy/old-policy'],
  },
  {
    name: 'suspend: detach every policy, keep role and policies',
    spec: { suspend: true },
    observed: () => converged(desired()),
    actions: [`1 detachPolicy ${attachSystem}`, `1 detachPolicy ${attachCustom}`],
    check: (actions) => expect(actions.every((a) => a.change.description.includes('suspended'))).toBe(true),
  },
  {
    name: 'suspended from scratch: create role and policy, attach nothing',
    spec: { suspend: true },
    observed: empty,
    actions: [`1 createRole ${role}`, `1 createPolicy ${custom}`],
  },
  {
    name: 'suspended and converged: nothing to do (an out-of-band attachment is still detached)',
    spec: { suspend: true },
    observed: (w) =>
      edit(converged(w), (o) => o.role!.attached.push({ policyName: SYSTEM, policyType: 'System' })),
    actions: [`1 detachPolicy ${attachSystem}`],
  },
  {
    name: 'resume: attach the policies again',
    observed: () => converged(desired({ suspend: true })),
    actions: [`3 attachPolicy ${attachSystem}`, `3 attachPolicy ${attachCustom}`],
  },
  {
    name: 'role deleted out of band: create it again and re-attach',
    observed: (w) => edit(converged(w), (o) => (o.role = undefined)),
    options: { correctionsAreDrift: true },
    actions: [`1 createRole ${role}`, `3 attachPolicy ${attachSystem}`, `3 attachPolicy ${attachCustom}`],
  },
  {
    name: 'custom policy deleted out of band: create it and attach it',
    observed: (w) =>
      edit(converged(w), (o) => {
        o.customPolicies.set(CUSTOM, undefined);
        o.taggedPolicies = [];
        o.role!.attached = [{ policyName: SYSTEM, policyType: 'System' }];
      }),
    actions: [`1 createPolicy ${custom}`, `3 attachPolicy ${attachCustom}`],
  },
  {
    name: 'spec adds a system policy: attach it',
    spec: {
      policies: [
        { system: SYSTEM },
        {
          custom: {
            name: CUSTOM,
            description: 'PutEvents on the orders bus only',
            document: publishDocument,
          },
        },
        { system: 'AliyunOSSReadOnlyAccess' },
      ],
    },
    observed: () => converged(desired()),
    actions: [`3 attachPolicy attachment/AliyunOSSReadOnlyAccess->role/${ROLE}`],
  },
  {
    name: 'trust switched from Account to Users: update the trust policy to the user ARNs',
    spec: {
      role: {
        name: ROLE,
        description: 'Lets Enterprise B publish to the orders bus',
        trust: { principals: 'Users' },
      },
    },
    observed: () => converged(desired()),
    actions: [`1 updateRole ${role}`],
    check: ([u]) =>
      expect(u).toMatchObject({
        trustPolicy: expect.stringContaining(`acs:ram::${B}:user/orders-publisher`) as unknown,
      }),
  },
  {
    name: 'unmanaged role, no adopt: blocked, nothing written',
    observed: (w) => edit(empty(w), (o) => (o.role = { ...converged(w).role!, owner: { kind: 'unmarked' } })),
    blocked: { reason: Reason.EntityNotManaged, mentions: [`role ${ROLE}`, 'adopt'] },
  },
  {
    name: 'unmanaged custom policy, no adopt: blocked, nothing written',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).owner = { kind: 'unmarked' })),
    blocked: { reason: Reason.EntityNotManaged, mentions: [`custom policy ${CUSTOM}`] },
  },
  {
    name: 'role and policy both unmanaged: blocked, both named',
    observed: (w) =>
      edit(converged(w), (o) => {
        o.role!.owner = { kind: 'unmarked' };
        policyOf(o).owner = { kind: 'unmarked' };
      }),
    blocked: { reason: Reason.EntityNotManaged, mentions: [`role ${ROLE}`, `custom policy ${CUSTOM}`] },
  },
  {
    name: 'role of another delegation: blocked even with adopt',
    observed: (w) =>
      edit(converged(w), (o) => (o.role!.owner = { kind: 'other', owner: otherOwnership.tagValue })),
    options: { adopt: true },
    blocked: { reason: Reason.EntityNotManaged, mentions: [otherOwnership.tagValue] },
  },
  {
    name: 'adopt an untagged role with another trust policy: tag it, update it, attach',
    observed: (w) =>
      edit(empty(w), (o) => {
        o.role = { ...converged(w).role!, owner: { kind: 'unmarked' }, attached: [] };
        o.role.info.trustPolicy =
          '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::3333333333333333:root"]}}]}';
      }),
    options: { adopt: true, correctionsAreDrift: true },
    actions: [
      `1 tagRole ${role}`,
      `1 updateRole ${role}`,
      `1 createPolicy ${custom}`,
      `3 attachPolicy ${attachSystem}`,
      `3 attachPolicy ${attachCustom}`,
    ],
    check: (actions) =>
      expect(actions.find((a) => a.kind === 'tagRole')).toMatchObject({
        tags,
        change: { verb: 'Tagged', drift: false },
      }),
  },
  {
    name: 'adopt an untagged policy with the same document: tag it only',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).owner = { kind: 'unmarked' })),
    options: { adopt: true },
    actions: [`1 tagPolicy ${custom}`],
  },
  {
    name: 'adopt is harmless when everything is already ours',
    observed: converged,
    options: { adopt: true },
    actions: [],
  },
  {
    name: 'AdministratorAccess: PolicyTooBroad before anything else',
    spec: { policies: [{ system: 'AdministratorAccess' }] },
    observed: (w) => edit(empty(w), (o) => (o.role = { ...converged(w).role!, owner: { kind: 'unmarked' } })),
    blocked: { reason: Reason.PolicyTooBroad, mentions: ['AdministratorAccess'] },
  },
  {
    name: 'AdministratorAccess with the allow flag: planned like any policy',
    spec: { policies: [{ system: 'AdministratorAccess' }] },
    observed: empty,
    options: { allowBroadPolicies: true },
    actions: [`1 createRole ${role}`, `3 attachPolicy attachment/AdministratorAccess->role/${ROLE}`],
  },
];

const defaults: OwnerPlanOptions = { adopt: false, correctionsAreDrift: false, allowBroadPolicies: false };
const summary = (actions: readonly OwnerAction[]) =>
  actions.map((a) => `${a.phase} ${a.kind} ${a.change.entity}`).sort();

describe('planOwner', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('$name', (c) => {
    const want = desired(c.spec);
    const options = { ...defaults, ...c.options };
    const before = c.observed(want);
    const plan = planOwner(want, before, options);

    if (c.blocked) {
      expect(plan.actions).toEqual([]);
      expect(plan.blocked?.reason).toBe(c.blocked.reason);
      for (const text of c.blocked.mentions) expect(plan.blocked?.message).toContain(text);
      return;
    }
    expect(plan.blocked).toBeUndefined();
    expect(summary(plan.actions)).toEqual([...(c.actions ?? [])].sort());
    for (const action of plan.actions) {
      expect(action.change.side).toBe('owner');
      expect(action.change.drift).toBe(action.change.verb === 'Tagged' ? false : options.correctionsAreDrift);
      expect(action.change.description.length).toBeGreaterThan(0);
    }
    c.check?.(plan.actions);

    // A second pass against what the apply left must plan nothing.
    const after = applied(want, before, plan.actions);
    expect(planOwner(want, after, options)).toEqual({ actions: [] });
  });

  it('drift flag follows correctionsAreDrift for corrections', () => {
    const want = desired();
    const observed = edit(converged(want), (o) =>
      o.role!.attached.push({ policyName: 'AdministratorAccess', policyType: 'System' }),
    );
    expect(planOwner(want, observed, defaults).actions.map((a) => a.change.drift)).toEqual([false]);
    expect(
      planOwner(want, observed, { ...defaults, correctionsAreDrift: true }).actions.map(
        (a) => a.change.drift,
      ),
    ).toEqual([true]);
  });

  it('is deterministic: the same inputs give the same plan', () => {
    const want = desired();
    expect(planOwner(want, empty(want), defaults)).toEqual(planOwner(want, empty(want), defaults));
  });
});

describe('oldestNonDefault', () => {
  it('orders by creation time, then by version number, never picks the default', () => {
    expect(
      oldestNonDefault([version(9, false, ''), version(3, true, ''), version(5, false, '')])?.versionId,
    ).toBe('v5');
    expect(
      oldestNonDefault([
        { versionId: 'v12', isDefault: false, document: '', createDate: '2026-01-01T00:00:00Z' },
        { versionId: 'v2', isDefault: false, document: '', createDate: '2026-01-01T00:00:00Z' },
      ])?.versionId,
    ).toBe('v2');
    expect(oldestNonDefault([version(1, true, '')])).toBeUndefined();
  });
});
