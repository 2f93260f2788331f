import { describe, expect, it } from 'vitest';
import { NO_MODEL_FAULTS, type ModelFaults } from '../../src/contract.js';
import {
  ACCOUNT_A,
  allowDoc,
  createHarness,
  expectError,
  trustAccount,
  type Harness,
} from './cloud-harness.js';

const LAG_MS = 1000;

function lagging(faults: Partial<ModelFaults>, seed = 42): Harness {
  const h = createHarness(seed);
  h.backend.setModelFaults({ ...NO_MODEL_FAULTS, ...faults });
  return h;
}

const roleNames = (h: Harness): string[] =>
  (h.ram(h.rootA, 'ListRoles').Roles as { Role: { RoleName: string }[] }).Role.map((r) => r.RoleName);

const createRole = (h: Harness, name: string, tags: Record<string, string> = {}) =>
  h.ram(h.rootA, 'CreateRole', {
    RoleName: name,
    AssumeRolePolicyDocument: trustAccount(ACCOUNT_A),
    Tag: JSON.stringify(Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))),
  });

const tagRows = (h: Harness, names: string[]) =>
  h.ram(h.rootA, 'ListTagResources', { ResourceType: 'role', ResourceNames: JSON.stringify(names) })
    .TagResources as { ResourceName: string; TagKey: string; TagValue: string }[];

describe('consistency model: reads lag behind writes (consistencyLagMs)', () => {
  it('a created role is invisible to reads until its lag passes, but real to writes at once', () => {
    const h = lagging({ consistencyLagMs: LAG_MS });
    createRole(h, 'fresh');
    expectError(() => h.ram(h.rootA, 'GetRole', { RoleName: 'fresh' }), 'EntityNotExist.Role', 404);
    expect(roleNames(h)).toEqual([]);
    // Writes act on the true state: the name is taken, and the role can be changed.
    expectError(() => createRole(h, 'fresh'), 'EntityAlreadyExists.Role', 409);
    h.ram(h.rootA, 'UpdateRole', { RoleName: 'fresh', NewDescription: 'changed' });
    h.advance(LAG_MS / 1000);
    expect(
      (h.ram(h.rootA, 'GetRole', { RoleName: 'fresh' }).Role as { Description: string }).Description,
    ).toBe('changed');
  });

  it('a deleted role stays readable until the deletion shows; true conflicts still answer their codes', () => {
    const h = createHarness();
    createRole(h, 'old');
    h.ram(h.rootA, 'AttachPolicyToRole', {
      RoleName: 'old',
      PolicyType: 'System',
      PolicyName: 'AdministratorAccess',
    });
    h.backend.setModelFaults({ ...NO_MODEL_FAULTS, consistencyLagMs: LAG_MS });
    expectError(() => h.ram(h.rootA, 'DeleteRole', { RoleName: 'old' }), 'DeleteConflict.Role.Policy', 409);
    h.ram(h.rootA, 'DetachPolicyFromRole', {
      RoleName: 'old',
      PolicyType: 'System',
      PolicyName: 'AdministratorAccess',
    });
    // The detach has not shown yet, but the true state has no attachment: the delete goes through.
    h.ram(h.rootA, 'DeleteRole', { RoleName: 'old' });
    expect(h.ram(h.rootA, 'GetRole', { RoleName: 'old' }).Role).toMatchObject({ RoleName: 'old' });
    // And CreateRole right after DeleteRole works on the authoritative store.
    createRole(h, 'old');
    h.advance(LAG_MS / 1000);
    expect(roleNames(h)).toEqual(['old']);
    expect(
      (h.ram(h.rootA, 'ListPoliciesForRole', { RoleName: 'old' }).Policies as { Policy: unknown[] }).Policy,
    ).toEqual([]);
  });

  it('later writes are not ordered with earlier ones in what reads show', () => {
    const h = lagging({ consistencyLagMs: LAG_MS });
    const names = Array.from({ length: 8 }, (_, i) => `r${i}`);
    for (const name of names) createRole(h, name);
    let outOfOrder = false;
    for (let step = 0; step <= 10; step += 1) {
      const visible = new Set(roleNames(h));
      const firstMissing = names.findIndex((n) => !visible.has(n));
      if (firstMissing >= 0 && names.slice(firstMissing).some((n) => visible.has(n))) outOfOrder = true;
      h.advance(LAG_MS / 10000);
    }
    expect(outOfOrder).toBe(true);
    expect(roleNames(h).sort()).toEqual(names);
  });

  it('the lag covers users, groups, policies, access keys and account settings; turning it off shows the truth', () => {
    const h = createHarness();
    h.ram(h.rootA, 'CreateUser', { UserName: 'k' });
    h.backend.setModelFaults({ ...NO_MODEL_FAULTS, consistencyLagMs: LAG_MS });
    h.ram(h.rootA, 'CreateUser', { UserName: 'u' });
    h.ram(h.rootA, 'CreateGroup', { GroupName: 'g' });
    h.ram(h.rootA, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allowDoc('ram:GetRole') });
    h.ram(h.rootA, 'CreateAccessKey', { UserName: 'k' });
    h.ram(h.rootA, 'SetAccountAlias', { AccountAlias: 'enterprise-a' });
    expectError(() => h.ram(h.rootA, 'GetUser', { UserName: 'u' }), 'EntityNotExist.User', 404);
    expectError(() => h.ram(h.rootA, 'GetGroup', { GroupName: 'g' }), 'EntityNotExist.Group', 404);
    expectError(
      () => h.ram(h.rootA, 'GetPolicy', { PolicyName: 'p', PolicyType: 'Custom' }),
      'EntityNotExist.Policy',
      404,
    );
    const keys = () =>
      (h.ram(h.rootA, 'ListAccessKeys', { UserName: 'k' }).AccessKeys as { AccessKey: unknown[] }).AccessKey;
    expect(keys()).toEqual([]);
    expect(h.ram(h.rootA, 'GetAccountAlias').AccountAlias).toBe(ACCOUNT_A);
    h.backend.setModelFaults(NO_MODEL_FAULTS);
    expect(h.ram(h.rootA, 'GetUser', { UserName: 'u' }).User).toMatchObject({ UserName: 'u' });
    expect(keys()).toHaveLength(1);
    expect(h.ram(h.rootA, 'GetAccountAlias').AccountAlias).toBe('enterprise-a');
  });
});

describe('consistency model: the tag index lags (tagLagMs)', () => {
  it('tags set on create or by TagResources reach ListTagResources late, GetRole/ListRoles at once', () => {
    const h = lagging({ tagLagMs: LAG_MS });
    createRole(h, 'tagged', { owner: 'c/ns/a' });
    expect(tagRows(h, ['tagged'])).toEqual([]);
    const listed = h.ram(h.rootA, 'ListRoles').Roles as { Role: { Tags: unknown }[] };
    expect(listed.Role[0]?.Tags).toEqual({ Tag: [{ TagKey: 'owner', TagValue: 'c/ns/a' }] });
    h.advance(LAG_MS / 1000);
    expect(tagRows(h, ['tagged'])).toEqual([
      { ResourceName: 'tagged', ResourceType: 'role', TagKey: 'owner', TagValue: 'c/ns/a' },
    ]);
    h.ram(h.rootA, 'TagResources', {
      ResourceType: 'role',
      ResourceNames: JSON.stringify(['tagged']),
      Tag: JSON.stringify([{ Key: 'team', Value: 'blue' }]),
    });
    expect(tagRows(h, ['tagged']).map((r) => r.TagKey)).toEqual(['owner']);
    h.advance(LAG_MS / 1000);
    expect(tagRows(h, ['tagged']).map((r) => r.TagKey)).toEqual(['owner', 'team']);
  });
});

describe('consistency model: authorization lags (authorizationLagMs)', () => {
  function delegated(h: Harness) {
    h.ram(h.rootA, 'CreateUser', { UserName: 'admin' });
    const key = h.ram(h.rootA, 'CreateAccessKey', { UserName: 'admin' }).AccessKey as { AccessKeyId: string };
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMReadOnlyAccess',
    });
    return { accessKeyId: key.AccessKeyId };
  }

  it('after a detach the previous permissions apply until the change propagates', () => {
    const h = createHarness();
    const admin = delegated(h);
    h.backend.setModelFaults({ ...NO_MODEL_FAULTS, authorizationLagMs: LAG_MS });
    h.ram(h.rootA, 'DetachPolicyFromUser', {
      UserName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMReadOnlyAccess',
    });
    expect(h.ram(admin, 'ListUsers').Users).toBeDefined();
    h.advance(LAG_MS / 1000);
    expectError(() => h.ram(admin, 'ListUsers'), 'NoPermission', 403);
  });

  it('a new grant is not effective at once either, while reads (no consistency lag) show it', () => {
    const h = createHarness();
    const admin = delegated(h);
    h.ram(h.rootA, 'DetachPolicyFromUser', {
      UserName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMReadOnlyAccess',
    });
    h.backend.setModelFaults({ ...NO_MODEL_FAULTS, authorizationLagMs: LAG_MS });
    h.ram(h.rootA, 'AttachPolicyToUser', {
      UserName: 'admin',
      PolicyType: 'System',
      PolicyName: 'AliyunRAMReadOnlyAccess',
    });
    expect(
      (h.ram(h.rootA, 'ListPoliciesForUser', { UserName: 'admin' }).Policies as { Policy: unknown[] }).Policy,
    ).toHaveLength(1);
    expectError(() => h.ram(admin, 'ListUsers'), 'NoPermission', 403);
    h.advance(LAG_MS / 1000);
    expect(h.ram(admin, 'ListUsers').Users).toBeDefined();
  });
});
