/** planOwner: the role, its trust policy and exactly the spec's attachments (table-driven). */
import { describe, expect, it } from 'vitest';
import { serializePolicy } from '../../../../src/delegation/policy-compare.js';
import {
  AUTHORIZED_ACCOUNT as B,
  CUSTOM_POLICY,
  ROLE_NAME,
  putEventsDocument,
  suspended,
  withRole,
  withSystemPolicy,
  withTrust,
} from '../../../support/gen.js';
import {
  attachCustom,
  attachSystem,
  checkCase,
  custom,
  edit,
  role,
  tags,
  updatedFields,
  type Case,
} from './cases.js';
import { SYSTEM, converged, desired, empty } from './fixtures.js';

const foreignTrust = serializePolicy({
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::3333333333333333:root'] } },
  ],
});

const cases: Case[] = [
  {
    name: 'from scratch: create role and policy, then attach both',
    observed: empty,
    actions: [
      `create createRole ${role}`,
      `create createPolicy ${custom}`,
      `provision attachPolicy ${attachSystem}`,
      `provision attachPolicy ${attachCustom}`,
    ],
    check: (ops) => {
      expect(ops.find((op) => op.kind === 'createRole')).toMatchObject({
        roleName: ROLE_NAME,
        maxSessionDuration: 3600,
        description: 'Lets Enterprise B publish to the orders bus',
        tags,
      });
      expect(ops.find((op) => op.kind === 'createPolicy')).toMatchObject({
        document: JSON.stringify(putEventsDocument()),
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
    observed: (w) => edit(converged(w), (o) => (o.role!.info.trustPolicy = foreignTrust)),
    options: { correctionsAreDrift: true },
    actions: [`prepare updateRole ${role}`],
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
    spec: [withTrust('Account', true)],
    observed: (w) => edit(converged(w), (o) => (o.role!.info.trustPolicy = desired().role.trustPolicy)),
    actions: [`prepare updateRole ${role}`],
  },
  {
    name: 'max session duration changed: update it only',
    spec: [withRole(ROLE_NAME, { maxSessionDuration: 7200 })],
    observed: (w) => edit(converged(w), (o) => (o.role!.info.maxSessionDuration = 3600)),
    actions: [`prepare updateRole ${role}`],
    check: ([update], [action]) => {
      expect(update).toMatchObject({ maxSessionDuration: 7200 });
      expect(updatedFields(update)).toEqual(['maxSessionDuration']);
      expect(action?.change.description).toContain('max session duration 7200s');
    },
  },
  {
    name: 'description removed from the spec: clear it',
    spec: [withRole(ROLE_NAME, { description: undefined })],
    observed: (w) => edit(converged(w), (o) => (o.role!.info.description = 'old text')),
    actions: [`prepare updateRole ${role}`],
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
    actions: [`prepare updateRole ${role}`],
    check: ([update]) =>
      expect(updatedFields(update)).toEqual(['description', 'maxSessionDuration', 'trustPolicy']),
  },
  {
    name: 'trust switched from Account to Users: update the trust policy to the user ARNs',
    spec: [withTrust('Users')],
    observed: () => converged(desired()),
    actions: [`prepare updateRole ${role}`],
    check: ([u]) =>
      expect(u).toMatchObject({
        trustPolicy: expect.stringContaining(`acs:ram::${B}:user/orders-publisher`) as unknown,
      }),
  },
  {
    name: 'role deleted out of band: create it again and re-attach',
    observed: (w) => edit(converged(w), (o) => (o.role = undefined)),
    options: { correctionsAreDrift: true },
    actions: [
      `create createRole ${role}`,
      `provision attachPolicy ${attachSystem}`,
      `provision attachPolicy ${attachCustom}`,
    ],
  },
  {
    name: 'extra system policy attached out of band: detach it first',
    observed: (w) =>
      edit(converged(w), (o) =>
        o.role!.attached.push({ policyName: 'AdministratorAccess', policyType: 'System' }),
      ),
    options: { correctionsAreDrift: true },
    actions: [`prepare detachPolicy attachment/AdministratorAccess->role/${ROLE_NAME}`],
  },
  {
    name: 'extra custom policy (not ours) attached out of band: detach it, never delete it',
    observed: (w) =>
      edit(converged(w), (o) => o.role!.attached.push({ policyName: 'hand-made', policyType: 'Custom' })),
    actions: [`prepare detachPolicy attachment/hand-made->role/${ROLE_NAME}`],
  },
  {
    name: 'custom policy detached out of band: attach it again',
    observed: (w) =>
      edit(
        converged(w),
        (o) => (o.role!.attached = o.role!.attached.filter((r) => r.policyType === 'System')),
      ),
    options: { correctionsAreDrift: true },
    actions: [`provision attachPolicy ${attachCustom}`],
  },
  {
    name: 'same name, other type attached (a custom policy named like the system one): detach and attach',
    observed: (w) =>
      edit(
        converged(w),
        (o) =>
          (o.role!.attached = [
            { policyName: SYSTEM, policyType: 'Custom' },
            { policyName: CUSTOM_POLICY, policyType: 'Custom' },
          ]),
      ),
    actions: [`prepare detachPolicy ${attachSystem}`, `provision attachPolicy ${attachSystem}`],
  },
  {
    name: 'spec adds a system policy: attach it',
    spec: [withSystemPolicy('AliyunOSSReadOnlyAccess')],
    observed: () => converged(desired()),
    actions: [`provision attachPolicy attachment/AliyunOSSReadOnlyAccess->role/${ROLE_NAME}`],
  },
  {
    name: 'suspend: detach every policy, keep role and policies',
    spec: [suspended],
    observed: () => converged(desired()),
    actions: [`prepare detachPolicy ${attachSystem}`, `prepare detachPolicy ${attachCustom}`],
    check: (_, actions) =>
      expect(actions.every((a) => a.change.description.includes('suspended'))).toBe(true),
  },
  {
    name: 'suspended from scratch: create role and policy, attach nothing',
    spec: [suspended],
    observed: empty,
    actions: [`create createRole ${role}`, `create createPolicy ${custom}`],
  },
  {
    name: 'suspended and converged: nothing to do (an out-of-band attachment is still detached)',
    spec: [suspended],
    observed: (w) =>
      edit(converged(w), (o) => o.role!.attached.push({ policyName: SYSTEM, policyType: 'System' })),
    actions: [`prepare detachPolicy ${attachSystem}`],
  },
  {
    name: 'resume: attach the policies again',
    observed: () => converged(desired(suspended)),
    actions: [`provision attachPolicy ${attachSystem}`, `provision attachPolicy ${attachCustom}`],
  },
];

describe('planOwner: role and attachments', () => {
  it.each(cases)('$name', checkCase);
});
