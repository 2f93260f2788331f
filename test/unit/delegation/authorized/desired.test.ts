import { describe, expect, it } from 'vitest';
import { POLICY_NAME } from '../../../../src/api/spec.js';
import { desiredAuthorized, scopedPolicyName } from '../../../../src/delegation/authorized/desired.js';
import { withMarker } from '../../../../src/delegation/authorized/actions.js';
import {
  AUTHORIZED_ACCOUNT as B,
  OWNER_ACCOUNT as A,
  ROLE_ARN,
  aDelegation,
  withRole,
  withConsoleUser,
  withGrant,
  withGroup,
  withUsers,
} from '../../../support/gen.js';
import { MARKER, SCOPED, SCOPED_DOCUMENT, TAGS, desiredOf, ownership } from './fixtures.js';

describe('desiredAuthorized', () => {
  it('describes each user with marker, mode, MFA and principal name', () => {
    const desired = desiredOf(
      withUsers(
        { name: 'orders-publisher', access: 'Programmatic', credentialsSecretName: 'ak' },
        { name: 'alice', access: 'Console', credentialsSecretName: 'alice-login' },
      ),
      withConsoleUser('bob.k', { mfaRequired: false, credentialsSecretName: 'bob-login' }),
    );
    expect(desired.users).toEqual([
      {
        name: 'orders-publisher',
        displayName: 'orders-publisher',
        comments: MARKER,
        access: 'Programmatic',
        mfaRequired: false,
        principalName: `orders-publisher@${B}.onaliyun.com`,
        credentialsSecretName: 'ak',
      },
      {
        name: 'alice',
        displayName: 'alice',
        comments: MARKER,
        access: 'Console',
        mfaRequired: true,
        principalName: `alice@${B}.onaliyun.com`,
        credentialsSecretName: 'alice-login',
      },
      {
        name: 'bob.k',
        displayName: 'bob.k',
        comments: MARKER,
        access: 'Console',
        mfaRequired: false,
        principalName: `bob.k@${B}.onaliyun.com`,
        credentialsSecretName: 'bob-login',
      },
    ]);
    expect(desired.accountId).toBe(B);
    expect(desired.ownerAccountId).toBe(A);
    expect(desired.marker).toBe(MARKER);
  });

  it('Scoped: a tagged custom policy allowing sts:AssumeRole on exactly the role, attached to the users', () => {
    const desired = desiredOf();
    expect(desired.grant).toEqual({
      kind: 'Scoped',
      policy: { policyName: SCOPED, policyType: 'Custom' },
      scoped: {
        policyName: SCOPED,
        description: `Allows sts:AssumeRole on role orders-bus-publisher of account ${A}. Managed by ${MARKER}`,
        document: SCOPED_DOCUMENT,
        tags: TAGS,
      },
    });
    expect(desired.grantTarget).toEqual({ kind: 'users' });
    expect(desired.group).toBeUndefined();
  });

  it('SystemPolicy: AliyunSTSAssumeRoleAccess, while still naming the scoped policy to clean it up', () => {
    const desired = desiredOf(withGrant('SystemPolicy'));
    expect(desired.grant).toEqual({
      kind: 'SystemPolicy',
      policy: { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
    });
    expect(desired.scopedPolicy.policyName).toBe(SCOPED);
  });

  it('group: members are exactly the spec users and the grant goes to the group', () => {
    const desired = desiredOf(withGroup('publishers'));
    expect(desired.group).toEqual({
      name: 'publishers',
      comments: MARKER,
      members: ['orders-publisher', 'alice'],
    });
    expect(desired.grantTarget).toEqual({ kind: 'group', name: 'publishers' });
  });

  it('grants the role by the ARN RAM returned, and names the grant policy after the spec', () => {
    const lowered = `acs:ram::${A}:role/orders-bus-publisher`;
    const spec = aDelegation(withRole('Orders-Bus-Publisher'));
    const desired = desiredAuthorized(spec, ownership, lowered);
    expect(desired.scopedPolicy.document).toContain(`"Resource":"${lowered}"`);
    expect(desired.roleName).toBe('Orders-Bus-Publisher');
    expect(desired.scopedPolicy.policyName).toBe(scopedPolicyName(A, 'Orders-Bus-Publisher'));
    expect(desiredAuthorized(aDelegation(), ownership, ROLE_ARN).scopedPolicy.document).toContain(
      `"Resource":"${ROLE_ARN}"`,
    );
  });

  it('signs users in under the account alias when one is given', () => {
    const desired = desiredAuthorized(aDelegation(), ownership, ROLE_ARN, 'enterprise-b');
    expect(desired.users.map((u) => u.principalName)).toEqual([
      'orders-publisher@enterprise-b.onaliyun.com',
      'alice@enterprise-b.onaliyun.com',
    ]);
    expect(desiredAuthorized(aDelegation(), ownership, ROLE_ARN).users[0]?.principalName).toBe(
      'orders-publisher@2222222222222222.onaliyun.com',
    );
  });

  it.each([
    ['orders-bus-publisher', /^AssumeRole-1111111111111111-orders-bus-publisher$/],
    ['a.b', /^AssumeRole-1111111111111111-a-b-[0-9a-f]{8}$/],
    ['a-b', /^AssumeRole-1111111111111111-a-b$/],
    [`${'r.'.repeat(31)}rr`, /^AssumeRole-1111111111111111-(r-){31}rr-[0-9a-f]{8}$/],
  ])('scoped policy name for role %s is a valid, deterministic RAM policy name', (role, pattern) => {
    const name = scopedPolicyName(A, role);
    expect(name).toMatch(pattern);
    expect(name).toMatch(POLICY_NAME);
    expect(scopedPolicyName(A, role)).toBe(name);
  });

  it('roles that differ only in "." versus "-" get different policy names', () => {
    expect(scopedPolicyName(A, 'a.b')).not.toBe(scopedPolicyName(A, 'a-b'));
    expect(scopedPolicyName(A, 'a.b.c')).not.toBe(scopedPolicyName(A, 'a-b.c'));
  });
});

describe('withMarker', () => {
  it.each([
    ['', MARKER],
    ['  ', MARKER],
    ['built by hand', `built by hand ${MARKER}`],
    ['x'.repeat(200), `${'x'.repeat(128 - MARKER.length - 1)} ${MARKER}`],
  ])('adds the marker to %j within 128 characters', (comments, expected) => {
    const result = withMarker(comments, MARKER);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(128);
  });
});
