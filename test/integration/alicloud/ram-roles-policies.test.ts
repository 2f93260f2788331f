import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCloudError } from '../../../src/alicloud/errors.js';
import type { RamPort } from '../../../src/alicloud/ports.js';
import { allowDocument, callRecorder, caught, EmulatorFixture, trustAccount } from './fixture.js';

const A = '1111111111111111';
const B = '2222222222222222';
const OWNER_TAG = 'ram-delegation.dev/owner';

let fixture: EmulatorFixture;
let ram: RamPort;
const recorder = callRecorder();

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
  ram = (await fixture.rootPorts(A, { observer: recorder })).ram;
});

afterAll(async () => {
  await fixture?.stop();
});

describe('roles', () => {
  it('creates, reads, updates and deletes a role, tagged at creation', async () => {
    expect(ram.accountId).toBe(A);
    expect(await ram.getRole('orders-bus-publisher')).toBeUndefined();

    const created = await ram.createRole({
      roleName: 'orders-bus-publisher',
      trustPolicy: trustAccount(B),
      description: 'Lets B publish',
      maxSessionDuration: 3600,
      tags: { [OWNER_TAG]: 'c1/platform/orders' },
    });
    expect(created).toMatchObject({
      roleName: 'orders-bus-publisher',
      arn: `acs:ram::${A}:role/orders-bus-publisher`,
      maxSessionDuration: 3600,
    });
    expect(created.roleId).not.toBe('');
    expect(JSON.parse(created.trustPolicy)).toEqual(JSON.parse(trustAccount(B)));

    await ram.updateRole('orders-bus-publisher', {
      description: 'changed',
      maxSessionDuration: 7200,
      trustPolicy: trustAccount('3333333333333333'),
    });
    const updated = await ram.getRole('orders-bus-publisher');
    expect(updated).toMatchObject({
      description: 'changed',
      maxSessionDuration: 7200,
      roleId: created.roleId,
    });
    expect(JSON.parse(updated!.trustPolicy)).toEqual(JSON.parse(trustAccount('3333333333333333')));

    expect(await ram.listTags('role', 'orders-bus-publisher')).toEqual({ [OWNER_TAG]: 'c1/platform/orders' });

    await ram.deleteRole('orders-bus-publisher');
    expect(await ram.getRole('orders-bus-publisher')).toBeUndefined();
    // Already gone is success.
    await ram.deleteRole('orders-bus-publisher');
  });

  it('reports a duplicate as AlreadyExists and a bad name as Invalid', async () => {
    await ram.createRole({
      roleName: 'dup',
      trustPolicy: trustAccount(B),
      description: '',
      maxSessionDuration: 3600,
    });
    const duplicate = await caught(
      ram.createRole({
        roleName: 'dup',
        trustPolicy: trustAccount(B),
        description: '',
        maxSessionDuration: 3600,
      }),
    );
    expect(duplicate).toMatchObject({
      kind: 'AlreadyExists',
      code: 'EntityAlreadyExists.Role',
      details: { action: 'CreateRole', statusCode: 409 },
    });

    const invalid = await caught(
      ram.createRole({
        roleName: 'bad name!',
        trustPolicy: trustAccount(B),
        description: '',
        maxSessionDuration: 3600,
      }),
    );
    expect(isCloudError(invalid, 'Invalid')).toBe(true);

    const badTrust = await caught(
      ram.createRole({
        roleName: 'bad-trust',
        trustPolicy: '{not json',
        description: '',
        maxSessionDuration: 3600,
      }),
    );
    expect(isCloudError(badTrust, 'Invalid')).toBe(true);
    await ram.deleteRole('dup');
  });

  it('updating a missing role is NotFound', async () => {
    expect(await caught(ram.updateRole('missing-role', { description: 'x' }))).toMatchObject({
      kind: 'NotFound',
      code: 'EntityNotExist.Role',
    });
  });
});

describe('policies, versions and attachments', () => {
  const doc = (n: number) =>
    allowDocument('eventbridge:PutEvents', `acs:eventbridge:cn-hangzhou:${A}:eventbus/orders-${n}`);

  it('creates a tagged policy and reads its default document', async () => {
    expect(await ram.getPolicy({ policyName: 'orders-bus-publish', policyType: 'Custom' })).toBeUndefined();
    await ram.createPolicy({
      policyName: 'orders-bus-publish',
      document: doc(1),
      description: 'publish',
      tags: { [OWNER_TAG]: 'c1/platform/orders' },
    });
    const policy = await ram.getPolicy({ policyName: 'orders-bus-publish', policyType: 'Custom' });
    expect(policy).toMatchObject({
      policyName: 'orders-bus-publish',
      policyType: 'Custom',
      description: 'publish',
      defaultVersion: 'v1',
    });
    expect(JSON.parse(policy!.document)).toEqual(JSON.parse(doc(1)));
    expect(await ram.listTags('policy', 'orders-bus-publish')).toEqual({ [OWNER_TAG]: 'c1/platform/orders' });
  });

  it('reads a system policy', async () => {
    const policy = await ram.getPolicy({
      policyName: 'AliyunEventBridgeReadOnlyAccess',
      policyType: 'System',
    });
    expect(policy).toMatchObject({ policyName: 'AliyunEventBridgeReadOnlyAccess', policyType: 'System' });
    expect(policy!.document).toContain('eventbridge:');
  });

  it('new versions become default and the oldest non-default rotates out at five', async () => {
    for (let n = 2; n <= 7; n++) await ram.createPolicyVersion('orders-bus-publish', doc(n));
    const versions = await ram.listPolicyVersions('orders-bus-publish');
    expect(versions).toHaveLength(5);
    expect(versions.map((v) => v.versionId).sort()).toEqual(['v3', 'v4', 'v5', 'v6', 'v7']);
    const current = versions.filter((v) => v.isDefault);
    expect(current.map((v) => v.versionId)).toEqual(['v7']);
    expect(JSON.parse(current[0]!.document)).toEqual(JSON.parse(doc(7)));
    expect(
      JSON.parse((await ram.getPolicy({ policyName: 'orders-bus-publish', policyType: 'Custom' }))!.document),
    ).toEqual(JSON.parse(doc(7)));

    await ram.deletePolicyVersion('orders-bus-publish', 'v3');
    await ram.deletePolicyVersion('orders-bus-publish', 'v3');
    expect((await ram.listPolicyVersions('orders-bus-publish')).map((v) => v.versionId)).not.toContain('v3');
    // The default version cannot be deleted: a conflict, not "already gone".
    expect(await caught(ram.deletePolicyVersion('orders-bus-publish', 'v7'))).toMatchObject({
      kind: 'Conflict',
    });
  });

  it('refuses a malformed document as Invalid', async () => {
    const error = await caught(
      ram.createPolicyVersion('orders-bus-publish', '{"Version":"1","Statement":[{"Effect":"Maybe"}]}'),
    );
    expect(isCloudError(error, 'Invalid')).toBe(true);
  });

  it('attaches, lists, conflicts on delete, detaches idempotently', async () => {
    await ram.createRole({
      roleName: 'publisher',
      trustPolicy: trustAccount(B),
      description: '',
      maxSessionDuration: 3600,
    });
    const custom = { policyName: 'orders-bus-publish', policyType: 'Custom' as const };
    const system = { policyName: 'AliyunEventBridgeReadOnlyAccess', policyType: 'System' as const };
    await ram.attachPolicyToRole(custom, 'publisher');
    await ram.attachPolicyToRole(system, 'publisher');
    await ram.attachPolicyToRole(custom, 'publisher'); // already attached: success
    expect(
      new Set((await ram.listPoliciesForRole('publisher')).map((p) => `${p.policyType}:${p.policyName}`)),
    ).toEqual(new Set(['Custom:orders-bus-publish', 'System:AliyunEventBridgeReadOnlyAccess']));
    expect(await ram.listEntitiesForPolicy(custom)).toEqual({ roles: ['publisher'], users: [], groups: [] });

    expect(await caught(ram.deleteRole('publisher'))).toMatchObject({
      kind: 'Conflict',
      code: 'DeleteConflict.Role.Policy',
    });
    expect(await caught(ram.deletePolicy('orders-bus-publish'))).toMatchObject({ kind: 'Conflict' });

    await ram.detachPolicyFromRole(custom, 'publisher');
    await ram.detachPolicyFromRole(system, 'publisher');
    await ram.detachPolicyFromRole(custom, 'publisher'); // not attached any more: success
    await ram.detachPolicyFromRole(custom, 'no-such-role'); // role gone: success
    expect(await ram.listPoliciesForRole('publisher')).toEqual([]);
    await ram.deleteRole('publisher');
  });

  it('deletes a policy after its non-default versions, then treats it as gone', async () => {
    for (const version of await ram.listPolicyVersions('orders-bus-publish')) {
      if (!version.isDefault) await ram.deletePolicyVersion('orders-bus-publish', version.versionId);
    }
    await ram.deletePolicy('orders-bus-publish');
    expect(await ram.getPolicy({ policyName: 'orders-bus-publish', policyType: 'Custom' })).toBeUndefined();
    await ram.deletePolicy('orders-bus-publish');
  });
});

describe('tags', () => {
  it('finds roles and policies by tag across pages, and tag() adds and overwrites', async () => {
    const paged = (await fixture.rootPorts('4444444444444444', { pageSize: 2 })).ram;
    for (let i = 0; i < 5; i++) {
      await paged.createRole({
        roleName: `tagged-${i}`,
        trustPolicy: trustAccount(B),
        description: '',
        maxSessionDuration: 3600,
        tags: { [OWNER_TAG]: i < 4 ? 'c1/ns/mine' : 'c1/ns/other', team: `t${i}` },
      });
    }
    await paged.createRole({
      roleName: 'untagged',
      trustPolicy: trustAccount(B),
      description: '',
      maxSessionDuration: 3600,
    });
    expect(await paged.findByTag('role', OWNER_TAG, 'c1/ns/mine')).toEqual([
      'tagged-0',
      'tagged-1',
      'tagged-2',
      'tagged-3',
    ]);
    expect(await paged.findByTag('role', OWNER_TAG, 'nobody')).toEqual([]);

    await paged.tag('role', 'untagged', { [OWNER_TAG]: 'c1/ns/mine' });
    await paged.tag('role', 'tagged-0', { team: 'renamed' });
    expect(await paged.listTags('role', 'tagged-0')).toEqual({ [OWNER_TAG]: 'c1/ns/mine', team: 'renamed' });
    expect(await paged.findByTag('role', OWNER_TAG, 'c1/ns/mine')).toContain('untagged');

    await paged.createPolicy({
      policyName: 'p-tagged',
      document: allowDocument('ram:GetRole'),
      description: '',
      tags: { [OWNER_TAG]: 'c1/ns/mine' },
    });
    expect(await paged.findByTag('policy', OWNER_TAG, 'c1/ns/mine')).toEqual(['p-tagged']);
    expect(await caught(paged.tag('role', 'no-such-role', { a: 'b' }))).toMatchObject({ kind: 'NotFound' });
  });
});

describe('observation', () => {
  it('labels every call with the account, the action and read/write', () => {
    const create = recorder.calls.find((c) => c.action === 'CreateRole' && !c.errorCode);
    expect(create).toEqual({ accountId: A, action: 'CreateRole', kind: 'write' });
    expect(
      recorder.calls.find((c) => c.action === 'GetRole' && c.errorCode === 'EntityNotExist.Role'),
    ).toMatchObject({ kind: 'read' });
    const kinds = new Map(recorder.calls.map((c) => [c.action, c.kind]));
    for (const [action, kind] of kinds) {
      expect(kind, action).toBe(/^(Get|List)/.test(action) ? 'read' : 'write');
    }
  });
});
