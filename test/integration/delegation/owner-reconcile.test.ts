/** reconcileOwner against the Alibaba Cloud emulator, through the real RamPort and the official SDK. */
import * as $Ram from '@alicloud/ram20150501';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reason } from '../../../src/api/constants.js';
import { desiredOwner, reconcileOwner, revokeOwner } from '../../../src/delegation/owner/index.js';
import { policiesEqual } from '../../../src/delegation/policy-compare.js';
import {
  OWNER_ACCOUNT as A,
  putEventsDocument,
  suspended,
  withCustomPolicy,
  withPolicies,
} from '../../support/gen.js';
import { OwnerWorld, SYSTEM, options } from './owner-world.js';

let world: OwnerWorld;
beforeAll(async () => {
  world = await OwnerWorld.start();
});
afterAll(async () => {
  await world?.stop();
});

describe('reconcileOwner against the emulator', () => {
  it('creates everything from scratch, then a second pass makes zero writes', async () => {
    const s = world.scenario('scratch');
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
    await world.expectConverged(s.roleName, spec, s.ownership);

    const second = await s.counted(() =>
      reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options),
    );
    expect(second.result).toEqual({ synced: true, changes: [], roleArn: `acs:ram::${A}:role/${s.roleName}` });
    expect(second.writes).toEqual([]);
    // A resync reads by name only: GetRole, role attachments, GetPolicy (the record proves ownership).
    expect(second.reads.map((c) => c.action).sort()).toEqual(['GetPolicy', 'GetRole', 'ListPoliciesForRole']);
  });

  it('repairs drift: trust policy edited, an extra policy attached, the document changed out of band', async () => {
    const s = world.scenario('drift');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);

    await world.sdk.updateRole(
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
    await world.sdk.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        policyType: 'System',
        policyName: 'AliyunRAMReadOnlyAccess',
        roleName: s.roleName,
      }),
    );
    await world.sdk.createPolicyVersion(
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
    await world.expectConverged(s.roleName, spec, s.ownership);

    const again = await s.counted(() =>
      reconcileOwner(s.input(spec, { correctionsAreDrift: true }), options),
    );
    expect(again.writes).toEqual([]);
  });

  it('formatting-only differences made out of band cause no write', async () => {
    const s = world.scenario('format');
    const spec = s.specOf();
    await reconcileOwner(s.input(spec), options);
    const doc = putEventsDocument('format');
    await world.sdk.createPolicyVersion(
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
    const s = world.scenario('versions');
    await reconcileOwner(s.input(s.specOf()), options);
    for (let i = 0; i < 6; i++) {
      const spec = s.specOf(withCustomPolicy(s.policyName, putEventsDocument(`bus-${i}`)));
      const pass = await reconcileOwner(s.input(spec), options);
      expect(pass.synced).toBe(true);
      const versions = await world.inspect.listPolicyVersions(s.policyName);
      expect(versions.length).toBeLessThanOrEqual(5);
      const current = versions.find((v) => v.isDefault);
      expect(current && policiesEqual(current.document, putEventsDocument(`bus-${i}`))).toBe(true);
    }
    const changes = (
      await reconcileOwner(
        s.input(s.specOf(withCustomPolicy(s.policyName, putEventsDocument('final')))),
        options,
      )
    ).changes;
    expect(changes.some((c) => c.verb === 'Deleted' && c.entity.startsWith(`policy/${s.policyName}@v`))).toBe(
      true,
    );
  });

  it('suspend detaches every policy and keeps the rest; resume re-attaches', async () => {
    const s = world.scenario('suspend');
    await reconcileOwner(s.input(s.specOf()), options);
    const paused = await reconcileOwner(s.input(s.specOf(suspended)), options);
    expect(paused.synced).toBe(true);
    expect(await world.inspect.listPoliciesForRole(s.roleName)).toEqual([]);
    expect(await world.inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' })).toBeDefined();
    await reconcileOwner(s.input(s.specOf()), options);
    await world.expectConverged(s.roleName, s.specOf(), s.ownership);
  });

  it('a custom policy removed from the spec is detached and deleted', async () => {
    const s = world.scenario('removed');
    await reconcileOwner(s.input(s.specOf()), options);
    const spec = s.specOf(withPolicies({ system: SYSTEM }));
    const pass = await reconcileOwner(s.input(spec), options);
    expect(pass.changes.map((c) => `${c.verb} ${c.entity}`).sort()).toEqual([
      `Deleted policy/${s.policyName}`,
      `Detached attachment/${s.policyName}->role/${s.roleName}`,
    ]);
    expect(await world.inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' })).toBeUndefined();
    await world.expectConverged(s.roleName, spec, s.ownership);
  });

  it('an unmanaged role is never touched, and adopt takes it over', async () => {
    const s = world.scenario('unmanaged');
    const foreignTrust = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::3333333333333333:root'] } },
      ],
    });
    await world.sdk.createRole(
      new $Ram.CreateRoleRequest({
        roleName: s.roleName,
        assumeRolePolicyDocument: foreignTrust,
        description: 'hand-made',
      }),
    );
    await world.sdk.attachPolicyToRole(
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
    await world.sdk.createPolicy(
      new $Ram.CreatePolicyRequest({ policyName: s.policyName, policyDocument: foreignDocument }),
    );

    const blocked = await s.counted(() => reconcileOwner(s.input(s.specOf()), options));
    expect(blocked.result.synced).toBe(false);
    expect(blocked.result.blocked?.reason).toBe(Reason.EntityNotManaged);
    expect(blocked.writes).toEqual([]);

    const revoked = await s.counted(() =>
      revokeOwner(s.ram, desiredOwner(s.specOf(), s.ownership), s.ownership, s.records.pass(), options),
    );
    expect(revoked.result.outcomes).toContainEqual(
      expect.objectContaining({ entity: `role/${s.roleName}`, result: 'NotManaged' }),
    );
    expect(revoked.result.outcomes).toContainEqual(
      expect.objectContaining({ entity: `policy/${s.policyName}`, result: 'NotManaged' }),
    );
    expect(revoked.result.roleHadNoPoliciesAt).toBeUndefined();
    expect(revoked.writes).toEqual([]);
    expect(
      (await world.inspect.getPolicy({ policyName: s.policyName, policyType: 'Custom' }))?.document,
    ).toBe(foreignDocument);
    const untouched = await world.inspect.getRole(s.roleName);
    expect(untouched?.trustPolicy).toBe(foreignTrust);
    expect(await world.inspect.listPoliciesForRole(s.roleName)).toEqual([
      { policyName: 'AliyunRAMReadOnlyAccess', policyType: 'System' },
    ]);

    const adopted = await reconcileOwner(s.input(s.specOf(), { adopt: true }), options);
    expect(adopted.synced).toBe(true);
    expect(adopted.changes).toContainEqual(
      expect.objectContaining({ verb: 'Tagged', entity: `role/${s.roleName}` }),
    );
    await world.expectConverged(s.roleName, s.specOf(), s.ownership);
  });

  it('refuses AdministratorAccess without reading or writing anything', async () => {
    const s = world.scenario('broad');
    const pass = await s.counted(() =>
      reconcileOwner(s.input(s.specOf(withPolicies({ system: 'AdministratorAccess' }))), options),
    );
    expect(pass.result.blocked?.reason).toBe(Reason.PolicyTooBroad);
    expect(pass.reads.length + pass.writes.length).toBe(0);
  });
});
