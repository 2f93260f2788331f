import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  allowDoc,
  createHarness,
  denyDoc,
  trustAccount,
  type Credentials,
  type Harness,
  expectError,
  event,
} from './cloud-harness.js';

const ROLE_ARN = `acs:ram::${ACCOUNT_A}:role/publisher`;
const BUS_ARN = `acs:eventbridge:cn-hangzhou:${ACCOUNT_A}:eventbus/orders`;

/** The seed scenario's set-up, directly against the model. Returns B's user credentials. */
function delegate(h: Harness, trust = trustAccount(ACCOUNT_B)): Credentials {
  h.backend.createEventBus(ACCOUNT_A, 'orders', 'cn-hangzhou');
  h.ram(h.rootA, 'CreateRole', {
    RoleName: 'publisher',
    AssumeRolePolicyDocument: trust,
    MaxSessionDuration: 7200,
  });
  h.ram(h.rootA, 'CreatePolicy', {
    PolicyName: 'orders-publish',
    PolicyDocument: allowDoc('eventbridge:PutEvents', BUS_ARN),
  });
  h.ram(h.rootA, 'AttachPolicyToRole', {
    RoleName: 'publisher',
    PolicyType: 'Custom',
    PolicyName: 'orders-publish',
  });
  h.ram(h.rootB, 'CreateUser', { UserName: 'pub' });
  const key = h.ram(h.rootB, 'CreateAccessKey', { UserName: 'pub' }).AccessKey as { AccessKeyId: string };
  h.ram(h.rootB, 'CreatePolicy', {
    PolicyName: 'assume-publisher',
    PolicyDocument: allowDoc('sts:AssumeRole', `acs:ram:*:${ACCOUNT_A}:role/publisher`),
  });
  h.ram(h.rootB, 'AttachPolicyToUser', {
    UserName: 'pub',
    PolicyType: 'Custom',
    PolicyName: 'assume-publisher',
  });
  return { accessKeyId: key.AccessKeyId };
}

function assume(
  h: Harness,
  user: Credentials,
  params: Record<string, string | number> = {},
): Credentials & { raw: Record<string, unknown> } {
  const raw = h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'session-1', ...params });
  const creds = raw.Credentials as { AccessKeyId: string; SecurityToken: string };
  return { accessKeyId: creds.AccessKeyId, securityToken: creds.SecurityToken, raw };
}

describe('STS AssumeRole', () => {
  it('issues verifiable, role-scoped credentials', () => {
    const h = createHarness();
    const session = assume(h, delegate(h), { DurationSeconds: 1800 });
    expect(session.accessKeyId).toMatch(/^STS\./);
    const raw = session.raw;
    expect(raw.Credentials).toMatchObject({ Expiration: '2026-11-23T10:30:00Z' });
    const roleId = (h.ram(h.rootA, 'GetRole', { RoleName: 'publisher' }).Role as { RoleId: string }).RoleId;
    expect(raw.AssumedRoleUser).toEqual({
      Arn: `acs:ram::${ACCOUNT_A}:role/publisher/session-1`,
      AssumedRoleId: `${roleId}:session-1`,
    });
    expect(h.sts(session, 'GetCallerIdentity')).toMatchObject({
      AccountId: ACCOUNT_A,
      IdentityType: 'AssumedRoleUser',
      Arn: `acs:ram::${ACCOUNT_A}:assumed-role/publisher/session-1`,
      PrincipalId: `${roleId}:session-1`,
      RoleId: roleId,
    });
    const result = h.backend.putEvents(h.context(session), undefined, 'orders', [event('e1')]);
    expect(result).toEqual({ FailedEntryCount: 0, EntryList: [{ EventId: 'e1' }] });
    expect(h.backend.listEvents(ACCOUNT_A, 'orders')).toHaveLength(1);
  });

  it('verifies tokens: expiry, mismatch, tampering', () => {
    const h = createHarness();
    const user = delegate(h);
    const a = assume(h, user, { DurationSeconds: 900 });
    const b = assume(h, user);
    expectError(
      () => h.backend.resolveAccessKey(a.accessKeyId, b.securityToken, h.now()),
      'InvalidSecurityToken.MismatchWithAccessKey',
      400,
    );
    expectError(
      () => h.backend.resolveAccessKey(a.accessKeyId, undefined, h.now()),
      'InvalidSecurityToken.Malformed',
      400,
    );
    const tampered = `${a.securityToken?.slice(0, -2)}xx`;
    expectError(
      () => h.backend.resolveAccessKey(a.accessKeyId, tampered, h.now()),
      'InvalidSecurityToken.Malformed',
      400,
    );
    h.advance(900);
    expectError(
      () => h.backend.resolveAccessKey(a.accessKeyId, a.securityToken, h.now()),
      'InvalidSecurityToken.Expired',
      400,
    );
    expect(h.backend.resolveAccessKey(b.accessKeyId, b.securityToken, h.now()).principal.kind).toBe(
      'assumed-role',
    );
  });

  it("judges outstanding credentials against the role's current policies", () => {
    const h = createHarness();
    const session = assume(h, delegate(h));
    h.ram(h.rootA, 'DetachPolicyFromRole', {
      RoleName: 'publisher',
      PolicyType: 'Custom',
      PolicyName: 'orders-publish',
    });
    const denied = expectError(
      () => h.backend.putEvents(h.context(session), undefined, 'orders', [event('e2')]),
      'AccessDenied',
      403,
    );
    expect(denied.extra.accessDeniedDetail).toMatchObject({
      NoPermissionType: 'ImplicitDeny',
      AuthAction: 'eventbridge:PutEvents',
      AuthPrincipalType: 'AssumedRoleUser',
    });
    h.ram(h.rootA, 'DeleteRole', { RoleName: 'publisher' });
    // The token itself is still well-formed; the deleted role simply grants nothing any more.
    expectError(
      () => h.backend.putEvents(h.context(session), undefined, 'orders', [event('e3')]),
      'AccessDenied',
      403,
    );
    expectError(
      () =>
        assume(h, {
          accessKeyId: (h.backend.dumpState(ACCOUNT_B).users[0] as { accessKeyIds: string[] })
            .accessKeyIds[0] as string,
        }),
      'EntityNotExist.Role',
      404,
    );
  });

  it('checks the caller, the trust policy and the parameters', () => {
    const h = createHarness();
    const user = delegate(h);
    expectError(
      () => h.sts(h.rootB, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1' }),
      'NoPermission',
      403,
    );
    expectError(() => h.sts(user, 'AssumeRole', { RoleSessionName: 's1' }), 'MissingRoleArn', 400);
    expectError(
      () => h.sts(user, 'AssumeRole', { RoleArn: 'acs:ram::1:role/x', RoleSessionName: 's1' }),
      'InvalidParameter.RoleArn',
      400,
    );
    expectError(
      () => h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'x' }),
      'InvalidParameter.RoleSessionName',
      400,
    );
    expectError(
      () => h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 'bad name' }),
      'InvalidParameter.RoleSessionName',
      400,
    );
    expectError(
      () => h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1', DurationSeconds: 899 }),
      'InvalidParameter.DurationSeconds',
      400,
    );
    expectError(
      () => h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1', DurationSeconds: 7201 }),
      'InvalidParameter.DurationSeconds',
      400,
    );
    expect(assume(h, user, { DurationSeconds: 7200 }).raw.Credentials).toMatchObject({
      Expiration: '2026-11-23T12:00:00Z',
    });
    // Case of the role name in the ARN does not matter.
    expect(
      h.sts(user, 'AssumeRole', { RoleArn: `acs:ram::${ACCOUNT_A}:role/PUBLISHER`, RoleSessionName: 's1' })
        .Credentials,
    ).toBeDefined();
    expectError(
      () =>
        h.sts(user, 'AssumeRole', { RoleArn: ROLE_ARN, RoleSessionName: 's1', Policy: '{"Version":"1"}' }),
      'InvalidParameter.PolicyGrammar',
      400,
    );

    // Without the caller-side grant: NoPermission, implicit deny on sts:AssumeRole.
    h.ram(h.rootB, 'DetachPolicyFromUser', {
      UserName: 'pub',
      PolicyType: 'Custom',
      PolicyName: 'assume-publisher',
    });
    const noGrant = expectError(() => assume(h, user), 'NoPermission', 403);
    expect(noGrant.extra.accessDeniedDetail).toMatchObject({
      AuthAction: 'sts:AssumeRole',
      NoPermissionType: 'ImplicitDeny',
      AuthPrincipalType: 'SubUser',
      AuthPrincipalDisplayName: 'pub',
    });
    h.ram(h.rootB, 'AttachPolicyToUser', {
      UserName: 'pub',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    expect(assume(h, user).accessKeyId).toMatch(/^STS\./);

    // A trust policy naming another account refuses B.
    h.ram(h.rootA, 'UpdateRole', {
      RoleName: 'publisher',
      NewAssumeRolePolicyDocument: trustAccount('3333333333333333'),
    });
    const untrusted = expectError(() => assume(h, user), 'NoPermission', 403);
    expect(untrusted.extra.accessDeniedDetail).toMatchObject({ PolicyType: 'AssumeRolePolicy' });
  });

  it('trust conditions such as MFA are enforced', () => {
    const h = createHarness();
    const mfaTrust = JSON.stringify({
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { RAM: [`acs:ram::${ACCOUNT_B}:root`] },
          Condition: { Bool: { 'acs:MFAPresent': 'true' } },
        },
      ],
    });
    const user = delegate(h, mfaTrust);
    expectError(() => assume(h, user), 'NoPermission', 403);
  });

  it('a session policy narrows the role', () => {
    const h = createHarness();
    const user = delegate(h);
    const narrowed = assume(h, user, {
      Policy: allowDoc('eventbridge:PutEvents', `acs:eventbridge:cn-hangzhou:${ACCOUNT_A}:eventbus/other`),
    });
    const error = expectError(
      () => h.backend.putEvents(h.context(narrowed), ACCOUNT_A, 'orders', [event('x')]),
      'AccessDenied',
      403,
    );
    expect(error.extra.accessDeniedDetail).toMatchObject({ PolicyType: 'SessionPolicy' });
    const denying = assume(h, user, { Policy: denyDoc('eventbridge:*') });
    const explicit = expectError(
      () => h.backend.putEvents(h.context(denying), ACCOUNT_A, 'orders', [event('x')]),
      'AccessDenied',
      403,
    );
    expect(explicit.extra.accessDeniedDetail).toMatchObject({ NoPermissionType: 'ExplicitDeny' });
  });
});

describe('GetCallerIdentity', () => {
  it('names roots and RAM users as the real service does', () => {
    const h = createHarness();
    expect(h.sts(h.rootA, 'GetCallerIdentity')).toMatchObject({
      AccountId: ACCOUNT_A,
      IdentityType: 'Account',
      Arn: `acs:ram::${ACCOUNT_A}:root`,
    });
    const user = delegate(h);
    const userId = (h.ram(h.rootB, 'GetUser', { UserName: 'pub' }).User as { UserId: string }).UserId;
    expect(h.sts(user, 'GetCallerIdentity')).toMatchObject({
      AccountId: ACCOUNT_B,
      IdentityType: 'RAMUser',
      Arn: `acs:ram::${ACCOUNT_B}:user/pub`,
      PrincipalId: userId,
      UserId: userId,
    });
  });
});
