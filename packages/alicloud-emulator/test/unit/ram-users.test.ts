import { describe, expect, it } from 'vitest';
import { ACCOUNT_B, createHarness, expectError, trustAccount } from './cloud-harness.js';

describe('RAM users, AccessKeys and login profiles', () => {
  it('creates, renames and deletes a user; Comments carry through', () => {
    const h = createHarness();
    const user = h.ram(h.rootB, 'CreateUser', {
      UserName: 'orders.publisher',
      Comments: 'owner=cluster/ns/name',
    }).User as Record<string, unknown>;
    expect(user).toMatchObject({
      UserName: 'orders.publisher',
      DisplayName: 'orders.publisher',
      Comments: 'owner=cluster/ns/name',
    });
    expect(user.UserId).toMatch(/^\d{16}$/);
    h.ram(h.rootB, 'UpdateUser', {
      UserName: 'orders.publisher',
      NewUserName: 'publisher',
      NewComments: 'changed',
    });
    expect(h.ram(h.rootB, 'GetUser', { UserName: 'publisher' }).User).toMatchObject({
      UserId: user.UserId,
      Comments: 'changed',
    });
    expectError(
      () => h.ram(h.rootB, 'GetUser', { UserName: 'orders.publisher' }),
      'EntityNotExist.User',
      404,
    );
    expectError(
      () => h.ram(h.rootB, 'CreateUser', { UserName: 'publisher' }),
      'EntityAlreadyExists.User',
      409,
    );
    expectError(
      () => h.ram(h.rootB, 'CreateUser', { UserName: 'bad name' }),
      'InvalidParameter.UserName.InvalidChars',
      400,
    );
    expectError(() => h.ram(h.rootB, 'CreateUser', {}), 'MissingUserName', 400);
    h.ram(h.rootB, 'DeleteUser', { UserName: 'publisher' });
    expect((h.ram(h.rootB, 'ListUsers').Users as { User: unknown[] }).User).toEqual([]);
  });

  it('refuses to delete a user until keys, login profile, policies and groups are gone', () => {
    const h = createHarness();
    h.ram(h.rootB, 'CreateUser', { UserName: 'u' });
    const key = h.ram(h.rootB, 'CreateAccessKey', { UserName: 'u' }).AccessKey as {
      AccessKeyId: string;
      AccessKeySecret: string;
    };
    expect(key.AccessKeyId).toMatch(/^LTAI[A-Za-z0-9]{20}$/);
    expect(key.AccessKeySecret).toMatch(/^[A-Za-z0-9]{30}$/);
    h.ram(h.rootB, 'CreateLoginProfile', {
      UserName: 'u',
      Password: 'Str0ngPassw0rd',
      PasswordResetRequired: true,
      MFABindRequired: true,
    });
    h.ram(h.rootB, 'AttachPolicyToUser', {
      UserName: 'u',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    h.ram(h.rootB, 'CreateGroup', { GroupName: 'g' });
    h.ram(h.rootB, 'AddUserToGroup', { UserName: 'u', GroupName: 'g' });

    expectError(() => h.ram(h.rootB, 'DeleteUser', { UserName: 'u' }), 'DeleteConflict.User.AccessKey', 409);
    h.ram(h.rootB, 'DeleteAccessKey', { UserName: 'u', UserAccessKeyId: key.AccessKeyId });
    expectError(
      () => h.ram(h.rootB, 'DeleteUser', { UserName: 'u' }),
      'DeleteConflict.User.LoginProfile',
      409,
    );
    h.ram(h.rootB, 'DeleteLoginProfile', { UserName: 'u' });
    expectError(() => h.ram(h.rootB, 'DeleteUser', { UserName: 'u' }), 'DeleteConflict.User.Policy', 409);
    h.ram(h.rootB, 'DetachPolicyFromUser', {
      UserName: 'u',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    expectError(() => h.ram(h.rootB, 'DeleteUser', { UserName: 'u' }), 'DeleteConflict.User.Group', 409);
    h.ram(h.rootB, 'RemoveUserFromGroup', { UserName: 'u', GroupName: 'g' });
    h.ram(h.rootB, 'DeleteUser', { UserName: 'u' });
  });

  it('limits a user to 2 AccessKeys and never lists secrets', () => {
    const h = createHarness();
    h.ram(h.rootB, 'CreateUser', { UserName: 'u' });
    h.ram(h.rootB, 'CreateAccessKey', { UserName: 'u' });
    h.ram(h.rootB, 'CreateAccessKey', { UserName: 'u' });
    expectError(
      () => h.ram(h.rootB, 'CreateAccessKey', { UserName: 'u' }),
      'LimitExceeded.User.AccessKey',
      409,
    );
    const keys = (
      h.ram(h.rootB, 'ListAccessKeys', { UserName: 'u' }).AccessKeys as {
        AccessKey: Record<string, unknown>[];
      }
    ).AccessKey;
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['AccessKeyId', 'CreateDate', 'Status']);
    expectError(
      () => h.ram(h.rootB, 'DeleteAccessKey', { UserName: 'u', UserAccessKeyId: 'LTAInope' }),
      'EntityNotExist.User.AccessKey',
      404,
    );
    const first = keys[0]?.AccessKeyId as string;
    h.ram(h.rootB, 'UpdateAccessKey', { UserName: 'u', UserAccessKeyId: first, Status: 'Inactive' });
    expectError(
      () => h.backend.resolveAccessKey(first, undefined, h.now()),
      'InvalidAccessKeyId.Inactive',
      403,
    );
  });

  it('manages login profiles with the password policy and flags', () => {
    const h = createHarness();
    h.ram(h.rootB, 'CreateUser', { UserName: 'alice' });
    expectError(
      () => h.ram(h.rootB, 'GetLoginProfile', { UserName: 'alice' }),
      'EntityNotExist.User.LoginProfile',
      404,
    );
    expectError(
      () => h.ram(h.rootB, 'CreateLoginProfile', { UserName: 'alice', Password: 'short' }),
      'InvalidParameter.Password.TooWeak',
      400,
    );
    const created = h.ram(h.rootB, 'CreateLoginProfile', {
      UserName: 'alice',
      Password: 'Str0ngPassw0rd',
      PasswordResetRequired: true,
      MFABindRequired: true,
    });
    expect(created.LoginProfile).toEqual({
      UserName: 'alice',
      PasswordResetRequired: true,
      MFABindRequired: true,
      CreateDate: '2026-11-23T10:00:00Z',
    });
    expectError(
      () => h.ram(h.rootB, 'CreateLoginProfile', { UserName: 'alice', Password: 'Str0ngPassw0rd' }),
      'EntityAlreadyExists.User.LoginProfile',
      409,
    );
    h.ram(h.rootB, 'UpdateLoginProfile', { UserName: 'alice', MFABindRequired: false });
    expect(h.ram(h.rootB, 'GetLoginProfile', { UserName: 'alice' }).LoginProfile).toMatchObject({
      MFABindRequired: false,
      PasswordResetRequired: true,
    });
    expectError(
      () => h.ram(h.rootB, 'GetUserMFAInfo', { UserName: 'alice' }),
      'EntityNotExist.User.MFADevice',
      404,
    );
    expect(h.ram(h.rootB, 'ListVirtualMFADevices').VirtualMFADevices).toEqual({ VirtualMFADevice: [] });
  });
});

describe('RAM groups', () => {
  it('manages members and refuses to delete a non-empty group', () => {
    const h = createHarness();
    h.ram(h.rootB, 'CreateGroup', { GroupName: 'publishers', Comments: 'c' });
    h.ram(h.rootB, 'CreateUser', { UserName: 'u1' });
    h.ram(h.rootB, 'AddUserToGroup', { GroupName: 'publishers', UserName: 'u1' });
    expectError(
      () => h.ram(h.rootB, 'AddUserToGroup', { GroupName: 'publishers', UserName: 'u1' }),
      'EntityAlreadyExists.User.Group',
      409,
    );
    expect(h.ram(h.rootB, 'ListUsersForGroup', { GroupName: 'publishers' })).toMatchObject({
      Users: { User: [{ UserName: 'u1' }] },
      IsTruncated: false,
    });
    expect(h.ram(h.rootB, 'ListGroupsForUser', { UserName: 'u1' })).toMatchObject({
      Groups: { Group: [{ GroupName: 'publishers', Comments: 'c' }] },
    });
    h.ram(h.rootB, 'AttachPolicyToGroup', {
      GroupName: 'publishers',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    expectError(
      () => h.ram(h.rootB, 'DeleteGroup', { GroupName: 'publishers' }),
      'DeleteConflict.Group.User',
      409,
    );
    h.ram(h.rootB, 'RemoveUserFromGroup', { GroupName: 'publishers', UserName: 'u1' });
    expectError(
      () => h.ram(h.rootB, 'RemoveUserFromGroup', { GroupName: 'publishers', UserName: 'u1' }),
      'EntityNotExist.User.Group',
      404,
    );
    expectError(
      () => h.ram(h.rootB, 'DeleteGroup', { GroupName: 'publishers' }),
      'DeleteConflict.Group.Policy',
      409,
    );
    h.ram(h.rootB, 'DetachPolicyFromGroup', {
      GroupName: 'publishers',
      PolicyType: 'System',
      PolicyName: 'AliyunSTSAssumeRoleAccess',
    });
    h.ram(h.rootB, 'UpdateGroup', { GroupName: 'publishers', NewGroupName: 'pubs' });
    h.ram(h.rootB, 'DeleteGroup', { GroupName: 'pubs' });
    expectError(() => h.ram(h.rootB, 'GetGroup', { GroupName: 'pubs' }), 'EntityNotExist.Group', 404);
  });
});

describe('RAM tags', () => {
  it('tags roles and policies with the SDK JSON shapes and filters lists by tag', () => {
    const h = createHarness();
    h.ram(h.rootB, 'CreateRole', {
      RoleName: 'tagged',
      AssumeRolePolicyDocument: trustAccount(ACCOUNT_B),
      Tag: JSON.stringify([{ Key: 'ram-delegation.dev/owner', Value: 'c/ns/n' }]),
    });
    h.ram(h.rootB, 'CreateRole', { RoleName: 'plain', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    h.ram(h.rootB, 'TagResources', {
      ResourceType: 'role',
      ResourceNames: JSON.stringify(['plain']),
      Tag: JSON.stringify([{ Key: 'team', Value: 'a' }]),
    });
    // Flattened form is accepted too.
    h.ram(h.rootB, 'TagResources', {
      ResourceType: 'role',
      'ResourceNames.1': 'plain',
      'Tag.1.Key': 'env',
      'Tag.1.Value': 'dev',
    });
    const tags = h.ram(h.rootB, 'ListTagResources', {
      ResourceType: 'role',
      ResourceNames: JSON.stringify(['tagged', 'plain']),
    }).TagResources;
    expect(tags).toEqual([
      {
        ResourceName: 'tagged',
        ResourceType: 'role',
        TagKey: 'ram-delegation.dev/owner',
        TagValue: 'c/ns/n',
      },
      { ResourceName: 'plain', ResourceType: 'role', TagKey: 'team', TagValue: 'a' },
      { ResourceName: 'plain', ResourceType: 'role', TagKey: 'env', TagValue: 'dev' },
    ]);
    const filtered = h.ram(h.rootB, 'ListRoles', {
      Tag: JSON.stringify([{ Key: 'ram-delegation.dev/owner', Value: 'c/ns/n' }]),
    });
    expect(
      (filtered.Roles as { Role: { RoleName: string; Tags: unknown }[] }).Role.map((r) => r.RoleName),
    ).toEqual(['tagged']);
    h.ram(h.rootB, 'UntagResources', {
      ResourceType: 'role',
      ResourceNames: JSON.stringify(['plain']),
      TagKeys: JSON.stringify(['team']),
    });
    expect(
      h.ram(h.rootB, 'ListTagResources', { ResourceType: 'role', ResourceNames: JSON.stringify(['plain']) })
        .TagResources,
    ).toHaveLength(1);
    expectError(
      () =>
        h.ram(h.rootB, 'TagResources', {
          ResourceType: 'role',
          ResourceNames: JSON.stringify(['plain']),
          Tag: JSON.stringify([{ Key: 'acs:x', Value: 'v' }]),
        }),
      'InvalidParameter.Tag.Key',
      400,
    );
    expectError(
      () =>
        h.ram(h.rootB, 'TagResources', {
          ResourceType: 'user',
          ResourceNames: JSON.stringify(['u']),
          Tag: JSON.stringify([{ Key: 'k', Value: 'v' }]),
        }),
      'InvalidParameter.ResourceType',
      400,
    );
    const many = JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })));
    expectError(
      () =>
        h.ram(h.rootB, 'TagResources', {
          ResourceType: 'role',
          ResourceNames: JSON.stringify(['plain']),
          Tag: many,
        }),
      'LimitExceeded.Tag',
      409,
    );
  });

  it('answers InvalidAction.NotFound for an unknown action', () => {
    const h = createHarness();
    expectError(() => h.ram(h.rootB, 'CreateUnicorn'), 'InvalidAction.NotFound', 404);
    expectError(() => h.ram(h.rootB, 'toString'), 'InvalidAction.NotFound', 404);
  });
});
