/** The table runner shared by the owner-side plan tests. */
import { expect } from 'vitest';
import type { OwnerAction, OwnerOp } from '../../../../src/delegation/owner/actions.js';
import type { SpecOwner } from '../../../../src/delegation/owner/desired.js';
import type { ObservedOwner, ObservedPolicy } from '../../../../src/delegation/owner/observed.js';
import { planOwner, type OwnerPlanOptions } from '../../../../src/delegation/owner/plan.js';
import { serializePolicy } from '../../../../src/delegation/policy-compare.js';
import { CUSTOM_POLICY, ROLE_NAME, type SpecModifier } from '../../../support/gen.js';
import { SYSTEM, applied, desired, ownership } from './fixtures.js';

export const role = `role/${ROLE_NAME}`;
export const custom = `policy/${CUSTOM_POLICY}`;
export const attachSystem = `attachment/${SYSTEM}->role/${ROLE_NAME}`;
export const attachCustom = `attachment/${CUSTOM_POLICY}->role/${ROLE_NAME}`;
export const tags = { [ownership.tagKey]: ownership.tagValue };
export const widerDocument = serializePolicy({
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['eventbridge:PutEvents', 'eventbridge:ListEventBuses'], Resource: ['*'] },
  ],
});

type EditableOwner = ObservedOwner & { customPolicies: Map<string, ObservedPolicy | undefined> };

/** A copy of an observation, changed by `change`. */
export function edit(observed: ObservedOwner, change: (o: EditableOwner) => void): ObservedOwner {
  const copy = structuredClone({ ...observed, customPolicies: [...observed.customPolicies] });
  const editable = { ...copy, customPolicies: new Map(copy.customPolicies) };
  change(editable);
  return editable;
}

export function policyOf(o: ObservedOwner, name = CUSTOM_POLICY): ObservedPolicy {
  const p = o.customPolicies.get(name);
  if (!p) throw new Error(`no observed policy ${name}`);
  return p;
}

/** Which role fields an updateRole operation sets. */
export function updatedFields(op: OwnerOp | undefined): string[] {
  return Object.keys(op ?? {})
    .filter((k) => ['trustPolicy', 'maxSessionDuration', 'description'].includes(k))
    .sort();
}

export interface Case {
  name: string;
  /** Changes to the spec (the seed spec plus the system policy). */
  spec?: SpecModifier[];
  /** What RAM holds, built from the desired state. */
  observed: (want: SpecOwner) => ObservedOwner;
  options?: Partial<OwnerPlanOptions>;
  /** `<phase> <kind> <entity>`, in any order inside a phase. */
  actions?: string[];
  blocked?: { reason: string; mentions: string[] };
  /** Extra assertions on the planned operations and actions. */
  check?: (ops: OwnerOp[], actions: OwnerAction[]) => void;
}

export const defaults: OwnerPlanOptions = {
  adopt: false,
  correctionsAreDrift: false,
  allowBroadPolicies: false,
};

export const summary = (actions: readonly OwnerAction[]) =>
  actions.map((a) => `${a.phase} ${a.op.kind} ${a.change.entity}`).sort();

/**
 * Plans the case and checks the actions (or the refusal), the changes' side and drift, and that a second
 * plan against what the apply left is empty.
 */
export function checkCase(c: Case): void {
  const want = desired(...(c.spec ?? []));
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
  c.check?.(
    plan.actions.map((a) => a.op),
    plan.actions,
  );

  const after = applied(want, before, plan.actions);
  expect(planOwner(want, after, options)).toEqual({ actions: [] });
}
