/**
 * The owner side against the Alibaba Cloud emulator, through the real RamPort and the official SDK.
 * Out-of-band changes ("someone in the console") are made with the official RAM SDK directly.
 */
import * as $Ram from '@alicloud/ram20150501';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reason } from '../../../src/api/constants.js';
import { CloudError } from '../../../src/alicloud/errors.js';
import {
  specSchema,
  type CrossAccountDelegationSpec,
  type CrossAccountDelegationSpecInput,
} from '../../../src/api/spec.js';
import type { PolicyRef, RamPort } from '../../../src/alicloud/ports.js';
import type { DelegationInput, EngineOptions } from '../../../src/delegation/context.js';
import { ownershipOf, type Ownership } from '../../../src/delegation/ownership.js';
import { ApplyError } from '../../../src/delegation/run-phased.js';
import { desiredOwner, reconcileOwner, revokeOwner } from '../../../src/delegation/owner/index.js';
import { policiesEqual } from '../../../src/delegation/policy-compare.js';
import { callRecorder, EmulatorFixture, type RootKey } from '../alicloud/fixture.js';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { RamClient } from '../../../src/alicloud/clients.js';

const A = '1111111111111111';
const B = '2222222222222222';
const SYSTEM = 'AliyunEventBridgeReadOnlyAccess';

let fixture: EmulatorFixture;
let rootA: RootKey;
let rootB: RootKey;
/** The official SDK acting as account A's root: the "console" for out-of-band changes. */
let sdk: InstanceType<typeof RamClient>;
/** An uninstrumented port to inspect account A. */
let inspect: RamPort;

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
  rootA = await fixture.createAccount(A);
  rootB = await fixture.createAccount(B);
  sdk = new RamClient(
    new $OpenApiUtil.Config({ ...rootA, endpoint: `127.0.0.1:${fixture.emulator.port}`, protocol: 'http' }),
  );
  inspect = fixture.ports(rootA, { accountId: A }).ram;
});

afterAll(async () => {
  await fixture?.stop();
});

const options: EngineOptions = {
  allowBroadPolicies: false,
  concurrency: 4,
  generatePassword: () => 'Unused-Passw0rd!',
  clock: () => new Date(),
};

function publishDocument(bus: string) {
  return {
    Version: '1' as const,
    Statement: [
      {
        Effect: 'Allow' as const,
        Action: ['eventbridge:PutEvents'],
        Resource: [`acs:eventbridge:cn-hangzhou:${A}:eventbus/${bus}`],
      },
    ],
  };
}

/** One delegation per test (own role, policy and ownership), so tests share the emulator safely. */
function scenario(name: string) {
  const ownership = ownershipOf({ cluster: 'it', namespace: 'platform', name });
  const roleName = `${name}-role`;
  const policyName = `${name}-publish`;
  const specOf = (overrides: Partial<CrossAccountDelegationSpecInput> = {}): CrossAccountDelegationSpec =>
    specSchema.parse({
      owner: { accountId: A },
      authorized: { accountId: B },
      role: { name: roleName, description: `delegation ${name}` },
      policies: [
        { system: SYSTEM },
        { custom: { name: policyName, description: 'publish', document: publishDocument(name) } },
      ],
      users: [{ name: 'publisher', access: 'Programmatic', credentialsSecretName: 'publisher-ak' }],
      ...overrides,
    });
  const recorder = callRecorder();
  const ownerPorts = fixture.ports(rootA, { accountId: A, observer: recorder });
  const input = (
    spec: CrossAccountDelegationSpec,
    extra: Partial<DelegationInput> = {},
  ): DelegationInput => ({
    identity: { cluster: 'it', namespace: 'platform', name },
    ownership,
    spec,
    adopt: false,
    owner: ownerPorts,
    authorized: fixture.ports(rootB, { accountId: B }),
    correctionsAreDrift: false,
    stored: { accessKeyIds: new Map(), passwordsStored: new Set() },
    ...extra,
  });
  /** Runs `work` and returns the cloud calls it made. */
  const counted = async <T>(work: () => Promise<T>) => {
    recorder.calls.length = 0;
    const result = await work();
    return {
      result,
      writes: recorder.calls.filter((c) => c.kind === 'write'),
      reads: recorder.calls.filter((c) => c.kind === 'read'),
    };
  };
  return { ownership, roleName, policyName, specOf, input, counted, ram: ownerPorts.ram };
}

async function expectConverged(
  roleName: string,
  spec: CrossAccountDelegationSpec,
  ownership: Ownership,
): Promise<void> {
  const want = desiredOwner(spec, ownership);
  const role = await inspect.getRole(roleName);
  expect(role).toBeDefined();
  expect(policiesEqual(role!.trustPolicy, want.role.trustPolicy)).toBe(true);
  expect(role!.maxSessionDuration).toBe(want.role.maxSessionDuration);
  expect(await inspect.listTags('role', roleName)).toMatchObject(want.tags);
  const attached = await inspect.listPoliciesForRole(roleName);
  const key = (r: PolicyRef) => `${r.policyType}:${r.policyName}`;
  expect(attached.map(key).sort()).toEqual(want.attachments.map(key).sort());
  for (const policy of want.customPolicies) {
    const info = await inspect.getPolicy({ policyName: policy.name, policyType: 'Custom' });
    expect(info && policiesEqual(info.document, policy.document)).toBe(true);
    expect(await inspect.listTags('policy', policy.name)).toMatchObject(want.tags);
  }
}

describe('reconcileOwner against the emulator', () => {
  it('creates everything from scratch, then a second pass makes zero writes', async () => {
    const s = scenario('scratch');
    const spec = s.specOf();
    const first = await s.counted(() => reconcileOwner(s.input(spec), options));
    expect(first.result).toMatchObject({ synced: true, roleArn: `acs:ram::${A}:role/${s.roleName}` });
    expect(first.result.changes.map((c) => `${c.verb} ${c.entity}`).sort()).toEqual(
      [
        `Attached attachment/${SYSTEM}->role/${s.roleName}`,
        `Attached attachment/${s.policyName}->role/${s.roleName}`,
        `Created policy/${s.policyName}`,
        `Created role/${s.roleName}`,
      ].sort(),
    );
    expect(first.writes.map((c) => c.action).sort()).toEqual([
      'AttachPolicyToRole',
      'AttachPolicyToRole',
      'CreatePolicy',
      'CreateRole',
    ]);
    await expectConverged(s.roleName, spec, s.ownership);

    const second = await s.counted(() =>
      reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options),
    );
    expect(second.result).toEqual({ synced: true, changes: [], roleArn: `acs:ram::${A}:role/${s.roleName}` });
    expect(second.writes).toEqual([]);
    // GetRole, role tags, role attachments, tag search for policies, GetPolicy.
    expect(second.reads.map((c) => c.action).sort()).toEqual([
      'GetPolicy',
      'GetRole',
      'ListPoliciesForRole',
      'ListTagResources',
      'ListTagResources',
    ]);
  });

  it('repairs drift: trust policy edited, an extra policy attached, the document changed out of band', async () => {
    const s = scenario('drift');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);

    await sdk.updateRole(
      new $Ram.UpdateRoleRequest({
        roleName: s.roleName,
        newAssumeRolePolicyDocument: JSON.stringify({
          Version: '1',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { RAM: ['acs:ram::3333333333333333:root'] },
            },
          ],
        }),
      }),
    );
    await sdk.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        policyType: 'System',
        policyName: 'AliyunRAMReadOnlyAccess',
        roleName: s.roleName,
      }),
    );
    await sdk.createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({
        policyName: s.policyName,
        policyDocument: JSON.stringify({
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: 'eventbridge:*', Resource: '*' }],
        }),
        setAsDefault: true,
      }),
    );

    const repair = await s.counted(() =>
      reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options),
    );
    expect(repair.result.synced).toBe(true);
    expect(repair.result.changes.map((c) => `${c.verb} ${c.entity} drift=${c.drift}`).sort()).toEqual(
      [
        `Detached attachment/AliyunRAMReadOnlyAccess->role/${s.roleName} drift=true`,
        `Updated policy/${s.policyName} drift=true`,
        `Updated role/${s.roleName} drift=true`,
      ].sort(),
    );
    expect(repair.writes.map((c) => c.action).sort()).toEqual([
      'CreatePolicyVersion',
      'DetachPolicyFromRole',
      'UpdateRole',
    ]);
    await expectConverged(s.roleName, spec, s.ownership);

    const again = await s.counted(() =>
      reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options),
    );
    expect(again.writes).toEqual([]);
  });

  it('formatting-only differences made out of band cause no write', async () => {
    const s = scenario('format');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    const doc = publishDocument('format');
    await sdk.createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({
        policyName: s.policyName,
        policyDocument: JSON.stringify(
          {
            Statement: [
              { Resource: doc.Statement[0]!.Resource[0], Action: 'EventBridge:PutEvents', Effect: 'Allow' },
            ],
            Version: '1',
          },
          null,
          2,
        ),
        setAsDefault: true,
      }),
    );
    const pass = await s.counted(() => reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options));
    expect(pass.writes).toEqual([]);
  });

  it('stays under the 5-version limit when the document keeps being changed', async () => {
    const s = scenario('versions');
    await reconcileOwner(s.input(s.specOf()), options);
    for (let i = 0; i < 6; i++) {
      const spec = s.specOf({
        policies: [
          { system: SYSTEM },
          { custom: { name: s.policyName, document: publishDocument(`bus-${i}`) } },
        ],
      });
      const pass = await reconcileOwner(s.input(spec), options);
      expect(pass.synced).toBe(true);
      const versions = await inspect.listPolicyVersions(s.policyName);
      expect(versions.length).toBeLessThanOrEqual(5);
      const current = versions.find((v) => v.isDefault);
      expect(current && policiesEqual(current.document, publishDocument(`bus-${i}`))).toBe(true);
    }
    const changes = (
      await reconcileOwner(
        s.input(
          s.specOf({
            policies: [
              { system: SYSTEM },
              { custom: { name: s.policyName, document: publishDocument('final') } },
            ],
          }),
        ),
        options,
      )
    ).changes;
    expect(changes.some((c) => c.verb === 'Deleted' && c.entity.startsWith(`policy/${s.policyName}@v`))).toBe(
      true,
    );
  });

  it('suspend detaches every policy and keeps the rest; resume re-attaches', async () => {
    const s = scenario('suspend');
    await reconcileOwner(s.input(s.specOf()), options);
    const suspended = await reconcileOwner(s.input(s.specOf({ suspend: true })), options);
    expect(suspended.synced).toBe(true);
    expect(await inspect.listPoliciesForRole(s.roleName)).toEqual([]);
    expect(await inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' })).toBeDefined();
    await reconcileOwner(s.input(s.specOf()), options);
    await expectConverged(s.roleName, s.specOf(), s.ownership);
  });

  it('a custom policy removed from the spec is detached and deleted', async () => {
    const s = scenario('removed');
    await reconcileOwner(s.input(s.specOf()), options);
    const spec = s.specOf({ policies: [{ system: SYSTEM }] });
    const pass = await reconcileOwner(s.input(spec), options);
    expect(pass.changes.map((c) => `${c.verb} ${c.entity}`).sort()).toEqual([
      `Deleted policy/${s.policyName}`,
      `Detached attachment/${s.policyName}->role/${s.roleName}`,
    ]);
    expect(await inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' })).toBeUndefined();
    await expectConverged(s.roleName, spec, s.ownership);
  });

  it('an unmanaged role is never touched, and adopt takes it over', async () => {
    const s = scenario('unmanaged');
    const foreignTrust = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::3333333333333333:root'] } },
      ],
    });
    await sdk.createRole(
      new $Ram.CreateRoleRequest({
        roleName: s.roleName,
        assumeRolePolicyDocument: foreignTrust,
        description: 'hand-made',
      }),
    );
    await sdk.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        policyType: 'System',
        policyName: 'AliyunRAMReadOnlyAccess',
        roleName: s.roleName,
      }),
    );
    const foreignDocument = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'ram:Get*', Resource: '*' }],
    });
    await sdk.createPolicy(
      new $Ram.CreatePolicyRequest({ policyName: s.policyName, policyDocument: foreignDocument }),
    );

    const blocked = await s.counted(() => reconcileOwner(s.input(s.specOf()), options));
    expect(blocked.result.synced).toBe(false);
    expect(blocked.result.blocked?.reason).toBe(Reason.EntityNotManaged);
    expect(blocked.writes).toEqual([]);

    const revoked = await s.counted(() =>
      revokeOwner(s.ram, desiredOwner(s.specOf(), s.ownership), s.ownership, options),
    );
    expect(revoked.result.outcomes).toContainEqual(
      expect.objectContaining({
        entity: `role/${s.roleName}`,
        result: 'NotManaged',
        reason: Reason.EntityNotManaged,
      }),
    );
    expect(revoked.result.outcomes).toContainEqual(
      expect.objectContaining({ entity: `policy/${s.policyName}`, result: 'NotManaged' }),
    );
    expect(revoked.result.roleHadNoPoliciesAt).toBeUndefined();
    expect(revoked.writes).toEqual([]);
    expect((await inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' }))?.document).toBe(
      foreignDocument,
    );
    const untouched = await inspect.getRole(s.roleName);
    expect(untouched?.trustPolicy).toBe(foreignTrust);
    expect(await inspect.listPoliciesForRole(s.roleName)).toEqual([
      { policyName: 'AliyunRAMReadOnlyAccess', policyType: 'System' },
    ]);

    const adopted = await reconcileOwner(s.input(s.specOf(), { adopt: true }), options);
    expect(adopted.synced).toBe(true);
    expect(adopted.changes).toContainEqual(
      expect.objectContaining({ verb: 'Tagged', entity: `role/${s.roleName}` }),
    );
    await expectConverged(s.roleName, s.specOf(), s.ownership);
  });

  it('refuses AdministratorAccess without reading or writing anything', async () => {
    const s = scenario('broad');
    const pass = await s.counted(() =>
      reconcileOwner(s.input(s.specOf({ policies: [{ system: 'AdministratorAccess' }] })), options),
    );
    expect(pass.result.blocked?.reason).toBe(Reason.PolicyTooBroad);
    expect(pass.reads.length + pass.writes.length).toBe(0);
  });
});

describe('revokeOwner against the emulator', () => {
  it('detaches, deletes the role and every tagged policy; a second revoke finds nothing', async () => {
    const s = scenario('revoke');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    // A leftover tagged policy from an older spec, attached to a user in A by someone.
    await s.ram.createPolicy({
      policyName: `${s.policyName}-old`,
      document: JSON.stringify(publishDocument('old')),
      description: '',
      tags: { [s.ownership.tagKey]: s.ownership.tagValue },
    });
    await sdk.createUser(new $Ram.CreateUserRequest({ userName: 'revoke-someone' }));
    await sdk.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        policyType: 'Custom',
        policyName: `${s.policyName}-old`,
        userName: 'revoke-someone',
      }),
    );

    const before = new Date();
    const revoked = await revokeOwner(s.ram, desiredOwner(spec, s.ownership), s.ownership, options);
    expect(revoked.roleHadNoPoliciesAt).toBeInstanceOf(Date);
    expect(revoked.roleHadNoPoliciesAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(revoked.outcomes.map((o) => `${o.entity} ${o.result}`).sort()).toEqual(
      [
        `policy/${s.policyName} Deleted`,
        `policy/${s.policyName}-old Deleted`,
        `role/${s.roleName} Deleted`,
      ].sort(),
    );
    expect(await inspect.getRole(s.roleName)).toBeUndefined();
    expect(await inspect.findByTag('role', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);
    expect(await inspect.findByTag('policy', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);

    const again = await s.counted(() =>
      revokeOwner(s.ram, desiredOwner(spec, s.ownership), s.ownership, options),
    );
    expect(again.writes).toEqual([]);
    expect(again.result.outcomes.every((o) => o.result === 'AlreadyAbsent')).toBe(true);
  });

  it('retries DeleteRole when a policy gets attached between detach and delete', async () => {
    const s = scenario('conflict');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    let sneaked = false;
    // The real port, with someone attaching a policy right before our first DeleteRole.
    const racing: RamPort = Object.create(s.ram) as RamPort;
    racing.deleteRole = async (roleName) => {
      if (!sneaked) {
        sneaked = true;
        await sdk.attachPolicyToRole(
          new $Ram.AttachPolicyToRoleRequest({
            policyType: 'System',
            policyName: 'AliyunRAMReadOnlyAccess',
            roleName,
          }),
        );
      }
      return s.ram.deleteRole(roleName);
    };
    const revoked = await s.counted(() =>
      revokeOwner(racing, desiredOwner(spec, s.ownership), s.ownership, options),
    );
    expect(sneaked).toBe(true);
    expect(revoked.writes.filter((c) => c.action === 'DeleteRole').map((c) => c.errorCode)).toEqual([
      'DeleteConflict.Role.Policy',
      undefined,
    ]);
    expect(revoked.result.changes).toContainEqual(
      expect.objectContaining({
        verb: 'Detached',
        entity: `attachment/AliyunRAMReadOnlyAccess->role/${s.roleName}`,
      }),
    );
    expect(await inspect.getRole(s.roleName)).toBeUndefined();
  });

  it('a failure mid-revocation reports what was done, and calling again finishes the job', async () => {
    const s = scenario('crash');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    // The real port, with the network failing on the first DeleteRole.
    const flaky: RamPort = Object.create(s.ram) as RamPort;
    let failed = false;
    flaky.deleteRole = async (roleName) => {
      if (!failed) {
        failed = true;
        throw new CloudError('Transient', 'ECONNRESET', 'socket hang up', { action: 'DeleteRole' });
      }
      return s.ram.deleteRole(roleName);
    };
    const error = await revokeOwner(flaky, desiredOwner(spec, s.ownership), s.ownership, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).done.map((c) => c.verb)).toEqual(['Detached', 'Detached']);
    expect(await inspect.listPoliciesForRole(s.roleName)).toEqual([]);

    const resumed = await revokeOwner(flaky, desiredOwner(spec, s.ownership), s.ownership, options);
    expect(resumed.outcomes.map((o) => `${o.entity} ${o.result}`).sort()).toEqual(
      [`policy/${s.policyName} Deleted`, `role/${s.roleName} Deleted`].sort(),
    );
    expect(await inspect.findByTag('policy', s.ownership.tagKey, s.ownership.tagValue)).toEqual([]);
  });
});
