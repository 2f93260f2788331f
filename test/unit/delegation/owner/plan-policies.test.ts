/** planOwner: custom policies, their documents and versions, and policies removed from the spec. */
import { describe, expect, it } from 'vitest';
import type { SpecOwner } from '../../../../src/delegation/owner/desired.js';
import { oldestNonDefault } from '../../../../src/delegation/owner/plan.js';
import { CUSTOM_POLICY, putEventsDocument, withCustomPolicy, withPolicies } from '../../../support/gen.js';
import { attachCustom, checkCase, custom, edit, policyOf, widerDocument, type Case } from './cases.js';
import { SYSTEM, converged, desired, version } from './fixtures.js';

/** The seed policy's document, with `versions` of which the last is the default. */
const withVersions =
  (...versions: ReturnType<typeof version>[]) =>
  (w: SpecOwner) =>
    edit(converged(w), (o) => {
      const p = policyOf(o);
      p.info.document = widerDocument;
      p.versions = versions;
    });

const cases: Case[] = [
  {
    name: 'document changed out of band (2 versions): new default version',
    observed: (w) =>
      edit(converged(w), (o) => {
        const p = policyOf(o);
        p.info.document = widerDocument;
        p.versions = [version(1, false, w.customPolicies[0]!.document), version(2, true, widerDocument)];
      }),
    options: { correctionsAreDrift: true },
    actions: [`create createPolicyVersion ${custom}`],
    check: ([op]) => expect(op).toMatchObject({ document: desired().customPolicies[0]!.document }),
  },
  {
    name: 'document changed at the 5-version limit: delete the oldest non-default version first',
    observed: withVersions(
      version(3, false, 'a'),
      version(4, false, 'b'),
      version(5, false, 'c'),
      version(6, false, 'd'),
      version(7, true, widerDocument),
    ),
    actions: [`prepare deletePolicyVersion ${custom}@v3`, `create createPolicyVersion ${custom}`],
  },
  {
    name: 'at the limit with the oldest version being the default: delete the oldest non-default one',
    observed: withVersions(
      version(1, true, widerDocument),
      version(2, false, 'a'),
      version(3, false, 'b'),
      version(4, false, 'c'),
      version(5, false, 'd'),
    ),
    actions: [`prepare deletePolicyVersion ${custom}@v2`, `create createPolicyVersion ${custom}`],
  },
  {
    name: 'document changed, 4 versions: no version deleted',
    observed: withVersions(
      version(1, false, 'a'),
      version(2, false, 'b'),
      version(3, false, 'c'),
      version(4, true, widerDocument),
    ),
    actions: [`create createPolicyVersion ${custom}`],
  },
  {
    name: 'document changed but versions not read: rely on the port (RotateStrategy)',
    observed: (w) => edit(converged(w), (o) => (policyOf(o).info.document = widerDocument)),
    actions: [`create createPolicyVersion ${custom}`],
  },
  {
    name: 'document only formatted differently (pretty, Action case, key order): no new version',
    observed: (w) =>
      edit(converged(w), (o) => {
        policyOf(o).info.document = JSON.stringify(
          {
            Statement: [
              {
                Resource: putEventsDocument().Statement[0]!.Resource[0],
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
    spec: [
      withCustomPolicy(CUSTOM_POLICY, {
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' }],
      }),
    ],
    observed: (w) =>
      edit(converged(w), (o) => (policyOf(o).info.document = JSON.stringify(putEventsDocument()))),
    actions: [`create createPolicyVersion ${custom}`],
  },
  {
    name: 'custom policy deleted out of band: create it and attach it',
    observed: (w) =>
      edit(converged(w), (o) => {
        o.customPolicies.set(CUSTOM_POLICY, undefined);
        o.recordedPolicies = [];
        o.role!.attached = [{ policyName: SYSTEM, policyType: 'System' }];
      }),
    actions: [`create createPolicy ${custom}`, `provision attachPolicy ${attachCustom}`],
  },
  {
    name: 'policy removed from the spec: detach it, then delete it',
    spec: [withPolicies({ system: SYSTEM })],
    observed: (w) =>
      edit(converged(w), (o) => {
        o.role!.attached.push({ policyName: CUSTOM_POLICY, policyType: 'Custom' });
        o.recordedPolicies = [CUSTOM_POLICY];
      }),
    actions: [`prepare detachPolicy ${attachCustom}`, `purge deletePolicy ${custom}`],
    check: (_, actions) => expect(actions[1]?.change.description).toContain('no longer in the spec'),
  },
  {
    name: 'tagged leftover policy that is not attached: delete it',
    observed: (w) => edit(converged(w), (o) => (o.recordedPolicies = [...o.recordedPolicies, 'old-policy'])),
    actions: ['purge deletePolicy policy/old-policy'],
  },
];

describe('planOwner: custom policies', () => {
  it.each(cases)('$name', checkCase);
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
