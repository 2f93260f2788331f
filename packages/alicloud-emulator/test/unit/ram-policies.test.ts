import { describe, expect, it } from 'vitest';
import { ACCOUNT_B, allowDoc, createHarness, trustAccount, expectError } from './cloud-harness.js';

describe('RAM policies and versions', () => {
  const doc = (n: number) => allowDoc(`eventbridge:Get${n}`);

  it('GetPolicy returns the policy and its default version document', () => {
    const h = createHarness();
    const created = h.ram(h.rootA, 'CreatePolicy', {
      PolicyName: 'p',
      PolicyDocument: doc(1),
      Description: 'x',
    });
    expect(created.Policy).toEqual({
      PolicyName: 'p',
      PolicyType: 'Custom',
      Description: 'x',
      DefaultVersion: 'v1',
      CreateDate: '2026-11-23T10:00:00Z',
    });
    const got = h.ram(h.rootA, 'GetPolicy', { PolicyName: 'p', PolicyType: 'Custom' });
    expect(got.DefaultPolicyVersion).toMatchObject({
      VersionId: 'v1',
      IsDefaultVersion: true,
      PolicyDocument: doc(1),
    });
    expect(got.Policy).toMatchObject({ AttachmentCount: 0, DefaultVersion: 'v1' });
    const system = h.ram(h.rootA, 'GetPolicy', { PolicyName: 'AdministratorAccess', PolicyType: 'System' });
    expect(JSON.parse((system.DefaultPolicyVersion as { PolicyDocument: string }).PolicyDocument)).toEqual({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expectError(
      () => h.ram(h.rootA, 'GetPolicy', { PolicyName: 'nope', PolicyType: 'Custom' }),
      'EntityNotExist.Policy',
      404,
    );
    expectError(
      () => h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: doc(1) }),
      'EntityAlreadyExists.Policy',
      409,
    );
    expectError(
      () => h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p_q', PolicyDocument: doc(1) }),
      'InvalidParameter.PolicyName.InvalidChars',
      400,
    );
    expectError(
      () => h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'q', PolicyDocument: 'not json' }),
      'MalformedPolicyDocument',
      400,
    );
  });

  it('rotates versions at the 5-version limit only when asked to', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: doc(1) });
    for (let n = 2; n <= 5; n++)
      h.ram(h.rootA, 'CreatePolicyVersion', {
        PolicyName: 'p',
        PolicyDocument: doc(n),
        SetAsDefault: n === 3,
      });
    expectError(
      () => h.ram(h.rootA, 'CreatePolicyVersion', { PolicyName: 'p', PolicyDocument: doc(6) }),
      'LimitExceeded.Policy.Version',
      409,
    );
    expectError(
      () =>
        h.ram(h.rootA, 'CreatePolicyVersion', {
          PolicyName: 'p',
          PolicyDocument: doc(6),
          RotateStrategy: 'None',
        }),
      'LimitExceeded.Policy.Version',
      409,
    );
    const created = h.ram(h.rootA, 'CreatePolicyVersion', {
      PolicyName: 'p',
      PolicyDocument: doc(6),
      SetAsDefault: true,
      RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
    });
    expect(created.PolicyVersion).toMatchObject({ VersionId: 'v6', IsDefaultVersion: true });
    const versions = (
      h.ram(h.rootA, 'ListPolicyVersions', { PolicyName: 'p', PolicyType: 'Custom' }).PolicyVersions as {
        PolicyVersion: { VersionId: string }[];
      }
    ).PolicyVersion.map((v) => v.VersionId).sort();
    expect(versions).toEqual(['v2', 'v3', 'v4', 'v5', 'v6']);
    // v3 was the default until v6; now v2 is the oldest non-default: rotating again drops it, keeps v6.
    h.ram(h.rootA, 'SetDefaultPolicyVersion', { PolicyName: 'p', VersionId: 'v2' });
    h.ram(h.rootA, 'CreatePolicyVersion', {
      PolicyName: 'p',
      PolicyDocument: doc(7),
      RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
    });
    const after = (
      h.ram(h.rootA, 'ListPolicyVersions', { PolicyName: 'p', PolicyType: 'Custom' }).PolicyVersions as {
        PolicyVersion: { VersionId: string }[];
      }
    ).PolicyVersion.map((v) => v.VersionId).sort();
    expect(after).toEqual(['v2', 'v4', 'v5', 'v6', 'v7']);
  });

  it('protects the default version and refuses to delete a policy with versions or attachments', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: doc(1) });
    h.ram(h.rootA, 'CreatePolicyVersion', { PolicyName: 'p', PolicyDocument: doc(2), SetAsDefault: true });
    expectError(
      () => h.ram(h.rootA, 'DeletePolicyVersion', { PolicyName: 'p', VersionId: 'v2' }),
      'DeleteConflict.Policy.Version.Default',
      409,
    );
    expectError(
      () => h.ram(h.rootA, 'GetPolicyVersion', { PolicyName: 'p', PolicyType: 'Custom', VersionId: 'v9' }),
      'EntityNotExist.Policy.Version',
      404,
    );
    expectError(
      () => h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p' }),
      'DeleteConflict.Policy.Version',
      409,
    );
    h.ram(h.rootA, 'DeletePolicyVersion', { PolicyName: 'p', VersionId: 'v1' });

    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    h.ram(h.rootA, 'CreateUser', { UserName: 'u' });
    h.ram(h.rootA, 'CreateGroup', { GroupName: 'g' });
    for (const [action, param, name] of [
      ['AttachPolicyToRole', 'RoleName', 'r'],
      ['AttachPolicyToUser', 'UserName', 'u'],
      ['AttachPolicyToGroup', 'GroupName', 'g'],
    ] as const) {
      h.ram(h.rootA, action, { [param]: name, PolicyType: 'Custom', PolicyName: 'p' });
    }
    const entities = h.ram(h.rootA, 'ListEntitiesForPolicy', { PolicyName: 'p', PolicyType: 'Custom' });
    expect(entities).toMatchObject({
      Roles: { Role: [{ RoleName: 'r' }] },
      Users: { User: [{ UserName: 'u' }] },
      Groups: { Group: [{ GroupName: 'g' }] },
    });
    expect(
      (
        h.ram(h.rootA, 'GetPolicy', { PolicyName: 'p', PolicyType: 'Custom' }).Policy as {
          AttachmentCount: number;
        }
      ).AttachmentCount,
    ).toBe(3);

    expectError(() => h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p' }), 'DeleteConflict.Policy.User', 409);
    h.ram(h.rootA, 'DetachPolicyFromUser', { UserName: 'u', PolicyType: 'Custom', PolicyName: 'p' });
    expectError(
      () => h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p' }),
      'DeleteConflict.Policy.Group',
      409,
    );
    h.ram(h.rootA, 'DetachPolicyFromGroup', { GroupName: 'g', PolicyType: 'Custom', PolicyName: 'p' });
    expectError(() => h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p' }), 'DeleteConflict.Policy.Role', 409);
    h.ram(h.rootA, 'DetachPolicyFromRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p' });
    h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p' });
    expectError(
      () => h.ram(h.rootA, 'GetPolicy', { PolicyName: 'p', PolicyType: 'Custom' }),
      'EntityNotExist.Policy',
      404,
    );
  });

  it('CascadingDelete detaches everywhere and drops all versions', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: doc(1) });
    h.ram(h.rootA, 'CreatePolicyVersion', { PolicyName: 'p', PolicyDocument: doc(2) });
    h.ram(h.rootA, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ACCOUNT_B) });
    h.ram(h.rootA, 'AttachPolicyToRole', { RoleName: 'r', PolicyType: 'Custom', PolicyName: 'p' });
    h.ram(h.rootA, 'DeletePolicy', { PolicyName: 'p', CascadingDelete: true });
    expect(
      (h.ram(h.rootA, 'ListPoliciesForRole', { RoleName: 'r' }).Policies as { Policy: unknown[] }).Policy,
    ).toEqual([]);
  });

  it('limits custom policies to 1500 per account', () => {
    const h = createHarness();
    for (let i = 0; i < 1500; i++)
      h.ram(h.rootA, 'CreatePolicy', { PolicyName: `p-${i}`, PolicyDocument: doc(i) });
    expectError(
      () => h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'extra', PolicyDocument: doc(0) }),
      'LimitExceeded.Policy',
      409,
    );
    const custom = h.ram(h.rootA, 'ListPolicies', { PolicyType: 'Custom', MaxItems: 1000 });
    expect(custom.IsTruncated).toBe(true);
  });

  it('lists system and custom policies, filters by type and pages with a Marker', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'mine', PolicyDocument: doc(1), Description: 'old' });
    const names = (result: Record<string, unknown>) =>
      (result.Policies as { Policy: { PolicyName: string; PolicyType: string }[] }).Policy.map(
        (p) => `${p.PolicyType}:${p.PolicyName}`,
      );
    const all = names(h.ram(h.rootA, 'ListPolicies'));
    expect(all).toContain('System:AliyunSTSAssumeRoleAccess');
    expect(all).toContain('Custom:mine');
    expect(names(h.ram(h.rootA, 'ListPolicies', { PolicyType: 'Custom' }))).toEqual(['Custom:mine']);
    const first = h.ram(h.rootA, 'ListPolicies', { MaxItems: 2 });
    expect(first.IsTruncated).toBe(true);
    const rest = h.ram(h.rootA, 'ListPolicies', { MaxItems: 100, Marker: String(first.Marker) });
    expect([...names(first), ...names(rest)]).toEqual(all);
    expectError(() => h.ram(h.rootA, 'ListPolicies', { MaxItems: 0 }), 'InvalidParameter.MaxItems', 400);
    expectError(() => h.ram(h.rootA, 'ListPolicies', { Marker: '!!' }), 'InvalidParameter.Marker', 400);

    h.advance(5);
    const updated = h.ram(h.rootA, 'UpdatePolicyDescription', { PolicyName: 'mine', NewDescription: 'new' });
    expect(updated.Policy).toMatchObject({ Description: 'new', UpdateDate: '2026-11-23T10:00:05Z' });
    const system = h.ram(h.rootA, 'GetPolicyVersion', {
      PolicyName: 'AliyunSTSAssumeRoleAccess',
      PolicyType: 'System',
      VersionId: 'v1',
    });
    expect(JSON.parse((system.PolicyVersion as { PolicyDocument: string }).PolicyDocument)).toEqual({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    });
  });
});
