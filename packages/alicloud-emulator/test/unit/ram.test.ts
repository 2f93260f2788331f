import { describe, expect, it } from 'vitest';
import { ACCOUNT_A, ACCOUNT_B, allowDoc, createHarness, trustAccount, expectError } from './cloud-harness.js';

describe('RAM roles', () => {
  it('creates, reads, updates, lists and deletes a role with the real response shapes', () => {
    const h = createHarness();
    const created = h.ram(h.rootA, 'CreateRole', {
      RoleName: 'Publisher',
      AssumeRolePolicyDocument: trustAccount(ACCOUNT_B),
      Description: 'd',
    });
    const role = created.Role as Record<string, unknown>;
    expect(role).toMatchObject({
      RoleName: 'Publisher',
      Arn: `acs:ram::${ACCOUNT_A}:role/Publisher`,
      Description: 'd',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: trustAccount(ACCOUNT_B),
      CreateDate: '2026-11-23T10:00:00Z',
    });
    expect(role.RoleId).toMatch(/^\d{19}$/);
    expect(created.RequestId).toBe('req-1');

    // Role names are case-insensitive on lookup.
    expect(
      (h.ram(h.rootA, 'GetRole', { RoleName: 'publisher' }).Role as Record<string, unknown>).RoleName,
    ).toBe('Publisher');

    h.advance(60);
    const updated = h.ram(h.rootA, 'UpdateRole', {
      RoleName: 'Publisher',
      NewMaxSessionDuration: 7200,
      NewDescription: 'new',
    }).Role;
    expect(updated).toMatchObject({
      MaxSessionDuration: 7200,
      Description: 'new',
      UpdateDate: '2026-11-23T10:01:00Z',
      CreateDate: '2026-11-23T10:00:00Z',
    });

    const listed = h.ram(h.rootA, 'ListRoles');
    expect(listed.IsTruncated).toBe(false);
    expect((listed.Roles as { Role: unknown[] }).Role).toHaveLength(1);

    h.ram(h.rootA, 'DeleteRole', { RoleName: 'Publisher' });
    expectError(() => h.ram(h.rootA, 'GetRole', { RoleName: 'Publisher' }), 'EntityNotExist.Role', 404);
  });

  it('validates names, documents, durations and duplicates', () => {
    const h = createHarness();
    const trust = trustAccount(ACCOUNT_B);
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { AssumeRolePolicyDocument: trust }),
      'MissingRoleName',
      400,
    );
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'bad_name', AssumeRolePolicyDocument: trust }),
      'InvalidParameter.RoleName.InvalidChars',
      400,
    );
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: trust }),
      'InvalidParameter.RoleName.Length',
      400,
    );
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'r' }),
      'MissingAssumeRolePolicyDocument',
      400,
    );
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{"Version":"1"}' }),
      'MalformedPolicyDocument',
      400,
    );
    expectError(
      () =>
        h.ram(h.rootA, 'CreateRole', {
          RoleName: 'r',
          AssumeRolePolicyDocument: trust,
          MaxSessionDuration: 3599,
        }),
      'InvalidParameter.MaxSessionDuration',
      400,
    );
    expectError(
      () =>
        h.ram(h.rootA, 'CreateRole', {
          RoleName: 'r',
          AssumeRolePolicyDocument: trust,
          MaxSessionDuration: 43201,
        }),
      'InvalidParameter.MaxSessionDuration',
      400,
    );
    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trust }),
      'EntityAlreadyExists.Role',
      409,
    );
  });

  it('limits an account to 1000 roles and pages ListRoles', () => {
    const h = createHarness();
    const trust = trustAccount(ACCOUNT_B);
    for (let i = 0; i < 1000; i++)
      h.ram(h.rootA, 'CreateRole', { RoleName: `role-${i}`, AssumeRolePolicyDocument: trust });
    expectError(
      () => h.ram(h.rootA, 'CreateRole', { RoleName: 'one-too-many', AssumeRolePolicyDocument: trust }),
      'LimitExceeded.Role',
      409,
    );
    const first = h.ram(h.rootA, 'ListRoles', { MaxItems: 400 });
    expect(first.IsTruncated).toBe(true);
    const second = h.ram(h.rootA, 'ListRoles', { MaxItems: 1000, Marker: first.Marker as string });
    expect(second.IsTruncated).toBe(false);
    const names = [
      ...(first.Roles as { Role: { RoleName: string }[] }).Role,
      ...(second.Roles as { Role: { RoleName: string }[] }).Role,
    ].map((r) => r.RoleName);
    expect(new Set(names).size).toBe(1000);
  });

  it('refuses to delete a role with attached policies', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    h.ram(h.rootA, 'AttachPolicyToRole', {
      RoleName: 'r',
      PolicyType: 'System',
      PolicyName: 'AliyunEventBridgeReadOnlyAccess',
    });
    expectError(() => h.ram(h.rootA, 'DeleteRole', { RoleName: 'r' }), 'DeleteConflict.Role.Policy', 409);
    h.ram(h.rootA, 'DetachPolicyFromRole', {
      RoleName: 'r',
      PolicyType: 'System',
      PolicyName: 'AliyunEventBridgeReadOnlyAccess',
    });
    h.ram(h.rootA, 'DeleteRole', { RoleName: 'r' });
  });
});

describe('RAM attachments', () => {
  it('enforces 10 custom policies per role, duplicates and missing attachments', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    for (let i = 0; i < 11; i++)
      h.ram(h.rootA, 'CreatePolicy', { PolicyName: `p-${i}`, PolicyDocument: allowDoc('ram:GetRole') });
    for (let i = 0; i < 10; i++)
      h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: `p-${i}` });
    expectError(
      () => h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p-10' }),
      'LimitExceeded.Role.Policy',
      409,
    );
    expectError(
      () => h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p-0' }),
      'EntityAlreadyExists.Role.Policy',
      409,
    );
    // System policies have their own budget.
    h.ram(h.rootA, 'AttachPolicyToRole', {
      RoleName: 'r',
      PolicyType: 'System',
      PolicyName: 'AliyunEventBridgeFullAccess',
    });
    expectError(
      () =>
        h.ram(h.rootA, 'DetachPolicyFromRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p-10' }),
      'EntityNotExist.Role.Policy',
      404,
    );
    expectError(
      () =>
        h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'ghost' }),
      'EntityNotExist.Policy',
      404,
    );
    expectError(
      () => h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Builtin', PolicyName: 'p-0' }),
      'InvalidParameter.PolicyType',
      400,
    );
    expectError(
      () =>
        h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'ghost', PolicyType: 'Custom', PolicyName: 'p-0' }),
      'EntityNotExist.Role',
      404,
    );
    const listed = (
      h.ram(h.rootA, 'ListPoliciesForRole', { RoleName: 'r' }).Policies as {
        Policy: { PolicyType: string }[];
      }
    ).Policy;
    expect(listed).toHaveLength(11);
    expect(listed.filter((p) => p.PolicyType === 'System')).toHaveLength(1);
  });
});
