import { describe, expect, it } from 'vitest';
import { OWNERSHIP_TAG_KEY } from '../../../../src/api/constants.js';
import { policiesEqual } from '../../../../src/delegation/policy-compare.js';
import {
  AUTHORIZED_ACCOUNT as B,
  CUSTOM_POLICY as CUSTOM,
  OWNER_ACCOUNT as A,
  ROLE_NAME as ROLE,
  TEST_OWNERSHIP,
  putEventsDocument,
  suspended,
  withCustomPolicy,
  withPolicies,
  withRole,
  withTrust,
  withUsers,
  type SpecInput,
} from '../../../support/gen.js';
import { SYSTEM, desired } from './fixtures.js';

const root = `acs:ram::${B}:root`;
const two = [
  { name: 'orders-publisher', access: 'Programmatic' as const, credentialsSecretName: 'orders-publisher-ak' },
  { name: 'alice', access: 'Console' as const, credentialsSecretName: 'alice-login' },
];
const trust = (principals: string[], mfa = false) => ({
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { RAM: principals },
      ...(mfa ? { Condition: { Bool: { 'acs:MFAPresent': 'true' } } } : {}),
    },
  ],
});

describe('desiredOwner: trust policy', () => {
  const cases = [
    {
      name: 'Account trusts B root',
      trust: { principals: 'Account' as const },
      users: undefined,
      want: trust([root]),
    },
    {
      name: 'Account + MFA',
      trust: { principals: 'Account' as const, requireMFA: true },
      users: undefined,
      want: trust([root], true),
    },
    {
      name: 'Users trusts exactly the spec users',
      trust: { principals: 'Users' as const },
      users: two,
      want: trust([`acs:ram::${B}:user/orders-publisher`, `acs:ram::${B}:user/alice`]),
    },
    {
      name: 'Users + MFA',
      trust: { principals: 'Users' as const, requireMFA: true },
      users: two,
      want: trust([`acs:ram::${B}:user/orders-publisher`, `acs:ram::${B}:user/alice`], true),
    },
    { name: 'default trust is Account without MFA', trust: undefined, users: undefined, want: trust([root]) },
  ];
  it.each(cases)('$name', ({ trust: t, users, want }) => {
    const d = desired(
      ...(t ? [withTrust(t.principals, t.requireMFA)] : []),
      ...(users ? [withUsers(...users)] : []),
      ...(t ? [] : [(spec: SpecInput) => delete spec.role.trust]),
    );
    expect(JSON.parse(d.role.trustPolicy)).toEqual(want);
  });

  it('Users principals are not the root, and Account principals are not users', () => {
    const users = desired(withTrust('Users'), withUsers(...two));
    expect(users.role.trustPolicy).not.toContain(':root');
    expect(policiesEqual(users.role.trustPolicy, trust([root]))).toBe(false);
  });
});

describe('desiredOwner: role, policies, attachments', () => {
  it('derives the role from the spec', () => {
    const d = desired(withRole(ROLE, { description: 'hello', maxSessionDuration: 7200 }));
    expect(d.accountId).toBe(A);
    expect(d.role).toMatchObject({
      name: ROLE,
      description: 'hello',
      maxSessionDuration: 7200,
    });
  });

  it('uses "" when the spec has no description and 3600 s by default', () => {
    const d = desired((spec) => (spec.role = { name: ROLE }));
    expect(d.role.description).toBe('');
    expect(d.role.maxSessionDuration).toBe(3600);
  });

  it('serializes custom policies compactly and keeps their description', () => {
    const d = desired();
    expect(d.customPolicies).toEqual([
      {
        name: CUSTOM,
        description: 'PutEvents on the orders bus only',
        document: JSON.stringify(putEventsDocument()),
      },
    ]);
  });

  it('custom policy without description gets ""', () => {
    const d = desired(withPolicies(), withCustomPolicy('p'));
    expect(d.customPolicies[0]?.description).toBe('');
  });

  it('attaches the spec policies in spec order', () => {
    const d = desired();
    expect(d.attachments).toEqual([
      { policyName: CUSTOM, policyType: 'Custom' },
      { policyName: SYSTEM, policyType: 'System' },
    ]);
    expect(d.specPolicies).toEqual(d.attachments);
    expect(d.accessRevoked).toBeUndefined();
  });

  it('suspend: no attachments, everything else unchanged', () => {
    const running = desired();
    const paused = desired(suspended);
    expect(paused.attachments).toEqual([]);
    expect(paused.accessRevoked).toBe('suspended');
    expect(paused.specPolicies).toEqual(running.specPolicies);
    expect(paused.customPolicies).toEqual(running.customPolicies);
    expect(paused.role).toEqual(running.role);
  });

  it('tags with the ownership tag', () => {
    expect(desired().tags).toEqual({ [OWNERSHIP_TAG_KEY]: TEST_OWNERSHIP.tagValue });
  });
});
