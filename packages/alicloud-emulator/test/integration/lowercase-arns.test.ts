/**
 * lowercaseArns through the official SDKs: role ARNs in answers are lower-cased while RoleName keeps its
 * case, and RAM compares role ARNs regardless of case (AssumeRole's RoleArn, the caller's grant).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, assume, B, publish, setUpDelegation } from './delegation-setup.js';
import { $Ram, $Sts, startSdkWorld, type SdkWorld } from './sdk-setup.js';

const ROLE = 'Orders-Bus-Publisher';
const LOWER_ARN = `acs:ram::${A}:role/orders-bus-publisher`;
const CASED_ARN = `acs:ram::${A}:role/${ROLE}`;

describe('lower-cased role ARNs (lowercaseArns)', () => {
  let world: SdkWorld;

  beforeAll(async () => {
    world = await startSdkWorld();
  });
  afterAll(async () => world.emulator.stop());

  const lowercaseOn = async () =>
    expect((await world.admin('PUT', 'faults', { lowercaseArns: 1 })).status).toBe(200);

  it('every answer that carries a role ARN lower-cases it; RoleName keeps its case', async () => {
    await world.admin('POST', 'reset');
    await lowercaseOn();
    const ram = world.ram(await world.createAccount(A));
    const trust = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${B}:root`] } }],
    });
    const created = await ram.createRole(
      new $Ram.CreateRoleRequest({ roleName: ROLE, assumeRolePolicyDocument: trust }),
    );
    expect(created.body?.role).toMatchObject({ roleName: ROLE, arn: LOWER_ARN });
    const got = await ram.getRole(new $Ram.GetRoleRequest({ roleName: ROLE.toLowerCase() }));
    expect(got.body?.role).toMatchObject({ roleName: ROLE, arn: LOWER_ARN });
    const listed = await ram.listRoles(new $Ram.ListRolesRequest({}));
    expect(listed.body?.roles?.role?.map((r) => [r.roleName, r.arn])).toEqual([[ROLE, LOWER_ARN]]);
    const updated = await ram.updateRole(new $Ram.UpdateRoleRequest({ roleName: ROLE, newDescription: 'x' }));
    expect(updated.body?.role?.arn).toBe(LOWER_ARN);
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: ROLE,
        policyType: 'System',
        policyName: 'AliyunSTSAssumeRoleAccess',
      }),
    );
    const entities = await ram.listEntitiesForPolicy(
      new $Ram.ListEntitiesForPolicyRequest({
        policyType: 'System',
        policyName: 'AliyunSTSAssumeRoleAccess',
      }),
    );
    expect(entities.body?.roles?.role?.map((r) => [r.roleName, r.arn])).toEqual([[ROLE, LOWER_ARN]]);
  });

  it('a grant written with the lower-cased ARN lets B assume the mixed-case role; session ARNs are lower-cased', async () => {
    const d = await setUpDelegation(world, ROLE, { faults: { lowercaseArns: 1 } });
    expect(d.roleArn).toBe(LOWER_ARN);
    const answer = await world
      .sts(d.publisher)
      .assumeRole(new $Sts.AssumeRoleRequest({ roleArn: LOWER_ARN, roleSessionName: 'Alice' }));
    expect(answer.body?.assumedRoleUser?.arn).toBe(`${LOWER_ARN}/Alice`);
    const session = await assume(world, d.publisher, LOWER_ARN);
    const identity = await world.sts(session).getCallerIdentity();
    expect(identity.body?.arn).toBe(`acs:ram::${A}:assumed-role/orders-bus-publisher/publisher`);
    expect((await publish(world, session, 'lower')).failedEntryCount).toBe(0);
    // The RoleArn compares regardless of case too.
    expect((await assume(world, d.publisher, CASED_ARN)).accessKeyId).toMatch(/^STS\./);
  });

  it('with the fault off ARNs keep the role name as created, and a lower-cased ARN still works', async () => {
    const d = await setUpDelegation(world, ROLE, { grantArn: (arn) => arn.toLowerCase() });
    expect((await world.admin('GET', 'faults')).body).toMatchObject({ lowercaseArns: 0 });
    expect(d.roleArn).toBe(CASED_ARN);
    const session = await assume(world, d.publisher, LOWER_ARN);
    const identity = await world.sts(session).getCallerIdentity();
    expect(identity.body?.arn).toBe(`acs:ram::${A}:assumed-role/${ROLE}/publisher`);
  });
});
