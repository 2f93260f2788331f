/** planOwner: entities without our tag, adoption, guardrails, drift marking and determinism. */
import { describe, expect, it } from 'vitest';
import { Reason } from '../../../../src/api/constants.js';
import { planOwner } from '../../../../src/delegation/owner/plan.js';
import { CUSTOM_POLICY, ROLE_NAME, withPolicies } from '../../../support/gen.js';
import {
  attachCustom,
  attachSystem,
  checkCase,
  custom,
  defaults,
  edit,
  policyOf,
  role,
  tags,
  type Case,
} from './cases.js';
import { converged, desired, empty, otherOwnership } from './fixtures.js';

const administrator = withPolicies({ system: 'AdministratorAccess' });

const cases: Case[] = [
  {
    name: 'recorded role whose tag is missing past the grace period: the tag is restored, nothing else',
    observed: (w) => edit(converged(w), (o) => (o.role!.owner = { kind: 'ours', restoreTag: true })),
    actions: [`prepare tagRole role/${ROLE_NAME}`],
    check: (ops) => expect(ops).toEqual([expect.objectContaining({ kind: 'tagRole', restore: true })]),
  },
  {
    name: 'recorded policy whose tag is missing past the grace period: the tag is restored',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).owner = { kind: 'ours', restoreTag: true })),
    actions: [`prepare tagPolicy policy/${CUSTOM_POLICY}`],
  },
  {
    name: 'unmanaged role, no adopt: blocked, nothing written',
    observed: (w) => edit(empty(w), (o) => (o.role = { ...converged(w).role!, owner: { kind: 'unmarked' } })),
    blocked: { reason: Reason.EntityNotManaged, mentions: [`role ${ROLE_NAME}`, 'adopt'] },
  },
  {
    name: 'unmanaged custom policy, no adopt: blocked, nothing written',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).owner = { kind: 'unmarked' })),
    blocked: { reason: Reason.EntityNotManaged, mentions: [`custom policy ${CUSTOM_POLICY}`] },
  },
  {
    name: 'role and policy both unmanaged: blocked, both named',
    observed: (w) =>
      edit(converged(w), (o) => {
        o.role!.owner = { kind: 'unmarked' };
        policyOf(o).owner = { kind: 'unmarked' };
      }),
    blocked: {
      reason: Reason.EntityNotManaged,
      mentions: [`role ${ROLE_NAME}`, `custom policy ${CUSTOM_POLICY}`],
    },
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
      `prepare tagRole ${role}`,
      `prepare updateRole ${role}`,
      `create createPolicy ${custom}`,
      `provision attachPolicy ${attachSystem}`,
      `provision attachPolicy ${attachCustom}`,
    ],
    check: (_, actions) =>
      expect(actions.find((a) => a.op.kind === 'tagRole')).toMatchObject({
        op: { tags },
        change: { verb: 'Tagged', drift: false },
      }),
  },
  {
    name: 'adopt an untagged policy with the same document: tag it only',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).owner = { kind: 'unmarked' })),
    options: { adopt: true },
    actions: [`prepare tagPolicy ${custom}`],
  },
  {
    name: 'adopt is harmless when everything is already ours',
    observed: converged,
    options: { adopt: true },
    actions: [],
  },
  {
    name: 'AdministratorAccess: PolicyTooBroad before anything else',
    spec: [administrator],
    observed: (w) => edit(empty(w), (o) => (o.role = { ...converged(w).role!, owner: { kind: 'unmarked' } })),
    blocked: { reason: Reason.PolicyTooBroad, mentions: ['AdministratorAccess'] },
  },
  {
    name: 'AdministratorAccess with the allow flag: planned like any policy',
    spec: [administrator],
    observed: empty,
    options: { allowBroadPolicies: true },
    actions: [
      `create createRole ${role}`,
      `provision attachPolicy attachment/AdministratorAccess->role/${ROLE_NAME}`,
    ],
  },
];

describe('planOwner: ownership and guardrails', () => {
  it.each(cases)('$name', checkCase);

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
