import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  allowDoc,
  apiErrorOf,
  createHarness,
  denyDoc,
  trustAccount,
  type Harness,
} from './cloud-harness.js';

const expectDenied = (
  fn: () => unknown,
  noPermissionType: 'ImplicitDeny' | 'ExplicitDeny',
  authAction: string,
) => {
  const error = apiErrorOf(fn);
  expect({ code: error.code, status: error.httpStatus }).toEqual({ code: 'NoPermission', status: 403 });
  expect(error.extra.accessDeniedDetail).toMatchObject({
    NoPermissionType: noPermissionType,
    AuthAction: authAction,
  });
  return error;
};

function userOf(h: Harness, userName: string) {
  h.ram(h.rootA, 'CreateUser', { UserName: userName });
  const key = h.ram(h.rootA, 'CreateAccessKey', { UserName: userName }).AccessKey as { AccessKeyId: string };
  return { accessKeyId: key.AccessKeyId };
}

describe('authorization of RAM calls', () => {
  it('a RAM user without policies may do nothing; the detail names the principal', () => {
    const h = createHarness();
    const user = userOf(h, 'nobody');
    const error = expectDenied(() => h.ram(user, 'ListRoles'), 'ImplicitDeny', 'ram:ListRoles');
    expect(error.extra.accessDeniedDetail).toMatchObject({
      AuthPrincipalType: 'SubUser',
      AuthPrincipalDisplayName: 'nobody',
      AuthPrincipalOwnerId: ACCOUNT_A,
      PolicyType: 'AccountLevelIdentityBasedPolicy',
    });
    const decoded = JSON.parse(
      Buffer.from(
        String((error.extra.accessDeniedDetail as Record<string, unknown>).EncodedDiagnosticMessage),
        'base64',
      ).toString('utf8'),
    );
    expect(decoded).toMatchObject({ AuthAction: 'ram:ListRoles', AuthResource: `acs:ram:*:${ACCOUNT_A}:*` });
    const viaApi = h.ram(h.rootA, 'DecodeDiagnosticMessage', {
      EncodedDiagnosticMessage: String(
        (error.extra.accessDeniedDetail as Record<string, unknown>).EncodedDiagnosticMessage,
      ),
    });
    expect(viaApi.DecodedDiagnosticMessage).toMatchObject({
      AuthAction: 'ram:ListRoles',
      ExplicitDeny: false,
    });
  });

  it('read-only access allows Get/List but not writes', () => {
    const h = createHarness();
    const user = userOf(h, 'reader');
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'reader',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMReadOnlyAccess',
    });
    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    expect(h.ram(user, 'GetRole', { RoleName: 'r' }).Role).toBeDefined();
    expectDenied(() => h.ram(user, 'DeleteRole', { RoleName: 'r' }), 'ImplicitDeny', 'ram:DeleteRole');
  });

  it('checks the entity ARN: a grant on one role does not cover another', () => {
    const h = createHarness();
    const user = userOf(h, 'scoped');
    h.ram(h.rootA, 'CreatePolicy', {
      PolicyName: 'get-r1',
      PolicyDocument: allowDoc('ram:GetRole', `acs:ram:*:${ACCOUNT_A}:role/r1`),
    });
    h.ram(h.rootA, 'AttachPolicyToUser', { UserName: 'scoped', PolicyType: 'Custom', PolicyName: 'get-r1' });
    for (const name of ['r1', 'r2'])
      h.ram(h.rootA, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    expect(h.ram(user, 'GetRole', { RoleName: 'r1' }).Role).toBeDefined();
    expectDenied(() => h.ram(user, 'GetRole', { RoleName: 'r2' }), 'ImplicitDeny', 'ram:GetRole');
  });

  it('group policies apply to members, and an explicit deny beats AdministratorAccess', () => {
    const h = createHarness();
    const user = userOf(h, 'member');
    h.ram(h.rootA, 'CreateGroup', { GroupName: 'admins' });
    h.ram(h.rootA, 'AttachPolicyToGroup', {
      GroupName: 'admins',
      PolicyType: 'System',
      PolicyName: 'AdministratorAccess',
    });
    expectDenied(() => h.ram(user, 'ListUsers'), 'ImplicitDeny', 'ram:ListUsers');
    h.ram(h.rootA, 'AddUserToGroup', { GroupName: 'admins', UserName: 'member' });
    expect(h.ram(user, 'ListUsers').Users).toBeDefined();
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'no-delete', PolicyDocument: denyDoc('ram:Delete*') });
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'member',
      PolicyType: 'Custom',
      PolicyName: 'no-delete',
    });
    expectDenied(
      () => h.ram(user, 'DeleteGroup', { GroupName: 'admins' }),
      'ExplicitDeny',
      'ram:DeleteGroup',
    );
    // The change of a policy's default version takes effect immediately.
    h.ram(h.rootA, 'CreatePolicyVersion', {
      PolicyName: 'no-delete',
      PolicyDocument: denyDoc('ram:Nothing'),
      SetAsDefault: true,
    });
    expect(
      h.ram(user, 'CreateRole', {
        RoleName: 'made-by-member',
        AssumeRolePolicyDocument: trustAccount(ACCOUNT_B),
      }).Role,
    ).toBeDefined();
  });

  it("a role session acts in the role's account with the role's policies", () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreateRole', { RoleName: 'admin', AssumeRolePolicyDocument: trustAccount(ACCOUNT_A) });
    h.ram(h.rootA, 'AttachPolicyToRole', {
      RoleName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMFullAccess',
    });
    const operator = userOf(h, 'operator');
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'operator',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    const raw = h.sts(operator, 'AssumeRole', {
      RoleArn: `acs:ram::${ACCOUNT_A}:role/admin`,
      RoleSessionName: 'operator',
    });
    const creds = raw.Credentials as { AccessKeyId: string; SecurityToken: string };
    const session = { accessKeyId: creds.AccessKeyId, securityToken: creds.SecurityToken };
    expect(h.ram(session, 'CreateUser', { UserName: 'made-by-role' }).User).toBeDefined();
    expectDenied(
      () =>
        h.sts(session, 'AssumeRole', {
          RoleArn: `acs:ram::${ACCOUNT_A}:role/admin`,
          RoleSessionName: 'again',
        }),
      'ImplicitDeny',
      'sts:AssumeRole',
    );
    h.ram(h.rootA, 'DetachPolicyFromRole', {
      RoleName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMFullAccess',
    });
    const error = expectDenied(() => h.ram(session, 'ListUsers'), 'ImplicitDeny', 'ram:ListUsers');
    expect(error.extra.accessDeniedDetail).toMatchObject({
      AuthPrincipalType: 'AssumedRoleUser',
      AuthPrincipalDisplayName: 'admin:operator',
    });
  });

  it('condition keys: SourceIp and CurrentTime from the request', () => {
    const h = createHarness();
    const user = userOf(h, 'conditional');
    const doc = JSON.stringify({
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ram:ListRoles',
          Resource: '*',
          Condition: {
            IpAddress: { 'acs:SourceIp': '10.0.0.0/8' },
            DateLessThan: { 'acs:CurrentTime': '2026-11-23T11:00:00Z' },
          },
        },
      ],
    });
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'office-hours', PolicyDocument: doc });
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'conditional',
      PolicyType: 'Custom',
      PolicyName: 'office-hours',
    });
    expect(h.ram(user, 'ListRoles').Roles).toBeDefined();
    h.advance(3600);
    expectDenied(() => h.ram(user, 'ListRoles'), 'ImplicitDeny', 'ram:ListRoles');
  });
});

describe('accounts', () => {
  it('re-creating an account returns the same root key', () => {
    const h = createHarness();
    const again = h.backend.createAccount(ACCOUNT_A, undefined);
    expect(again.created).toBe(false);
    expect(again.accessKeyId).toBe(h.rootA.accessKeyId);
    expect(again.accessKeyId).toMatch(/^LTAI[A-Za-z0-9]{20}$/);
    expect(again.accessKeySecret).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(() => h.backend.createAccount('123', undefined)).toThrow(/16 digits/);
    expect(apiErrorOf(() => h.backend.resolveAccessKey('LTAInothing', undefined, h.now())).code).toBe(
      'InvalidAccessKeyId.NotFound',
    );
  });

  it('reset forgets everything; a seeded random reproduces the same keys', () => {
    const h1 = createHarness(7);
    const h2 = createHarness(7);
    expect(h1.rootA.accessKeyId).toBe(h2.rootA.accessKeyId);
    h1.backend.reset();
    expect(
      apiErrorOf(() => h1.backend.resolveAccessKey(h1.rootA.accessKeyId, undefined, h1.now())).code,
    ).toBe('InvalidAccessKeyId.NotFound');
  });
});
