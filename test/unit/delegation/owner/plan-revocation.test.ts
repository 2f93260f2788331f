/** planOwner against the empty desired state: what revocation does in account A. */
import { describe, expect, it } from 'vitest';
import { emptyOwner } from '../../../../src/delegation/owner/desired.js';
import type { ObservedOwner } from '../../../../src/delegation/owner/observed.js';
import { planOwner } from '../../../../src/delegation/owner/plan.js';
import { CUSTOM_POLICY } from '../../../support/gen.js';
import { attachCustom, attachSystem, custom, defaults, edit, policyOf, role, summary } from './cases.js';
import { applied, converged, desired, empty, otherOwnership } from './fixtures.js';

const want = desired();
const nothing = emptyOwner(want);

const cases: { name: string; observed: ObservedOwner; actions: string[] }[] = [
  {
    name: 'our role and policy: every policy detached, then the role deleted, then the policy',
    observed: converged(want),
    actions: [
      `prepare detachPolicy ${attachSystem}`,
      `prepare detachPolicy ${attachCustom}`,
      `delete deleteRole ${role}`,
      `purge deletePolicy ${custom}`,
    ],
  },
  {
    name: 'the role is already gone: only the recorded policy is deleted',
    observed: edit(converged(want), (o) => (o.role = undefined)),
    actions: [`purge deletePolicy ${custom}`],
  },
  {
    name: 'a role without our tag is left alone, attachments included; our policy still goes',
    observed: edit(converged(want), (o) => (o.role!.owner = { kind: 'unmarked' })),
    actions: [`purge deletePolicy ${custom}`],
  },
  {
    name: "another delegation's role is left alone",
    observed: edit(converged(want), (o) => {
      o.role!.owner = { kind: 'other', owner: otherOwnership.tagValue };
      o.recordedPolicies = [];
      policyOf(o).owner = { kind: 'other', owner: otherOwnership.tagValue };
    }),
    actions: [],
  },
  {
    name: 'a spec policy ours by its tags but not recorded (made before the record existed) is deleted',
    observed: edit(converged(want), (o) => {
      o.role = undefined;
      o.recordedPolicies = [];
    }),
    actions: [`purge deletePolicy ${custom}`],
  },
  {
    name: 'a spec policy without our tag is left alone',
    observed: edit(converged(want), (o) => {
      o.role = undefined;
      o.recordedPolicies = [];
      policyOf(o).owner = { kind: 'unmarked' };
    }),
    actions: [],
  },
  {
    name: 'policies of older specs that the record names are deleted too',
    observed: edit(converged(want), (o) => {
      o.role = undefined;
      o.recordedPolicies = [CUSTOM_POLICY, 'older-policy'];
    }),
    actions: [`purge deletePolicy ${custom}`, 'purge deletePolicy policy/older-policy'],
  },
  {
    name: 'a recorded role RAM does not show yet (read lag) is deleted by name all the same',
    observed: edit(empty(want), (o) => (o.recordedRole = want.role.name)),
    actions: [`delete deleteRole ${role}`],
  },
  {
    name: 'a recorded policy RAM does not show is deleted by name',
    observed: edit(empty(want), (o) => (o.recordedPolicies = ['created-a-moment-ago'])),
    actions: ['purge deletePolicy policy/created-a-moment-ago'],
  },
  { name: 'nothing exists: nothing to do', observed: empty(want), actions: [] },
];

describe('planOwner against the empty desired state (revocation)', () => {
  it.each(cases)('$name', ({ observed, actions }) => {
    const plan = planOwner(nothing, observed, defaults);
    expect(plan.blocked).toBeUndefined();
    expect(summary(plan.actions)).toEqual([...actions].sort());
    for (const action of plan.actions) {
      expect(action.change).toMatchObject({ side: 'owner', drift: false });
      expect(action.change.description).toContain('revocation');
    }
    expect(planOwner(nothing, applied(nothing, observed, plan.actions), defaults)).toEqual({ actions: [] });
  });

  it('is never blocked: guardrails and ownership checks concern what would be created', () => {
    const broad = desired((spec) => (spec.policies = [{ system: 'AdministratorAccess' }]));
    const observed = edit(converged(want), (o) => (o.role!.owner = { kind: 'unmarked' }));
    expect(planOwner(emptyOwner(broad), observed, defaults).blocked).toBeUndefined();
  });
});
