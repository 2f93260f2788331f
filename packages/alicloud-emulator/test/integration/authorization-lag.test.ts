/**
 * authorizationLagMs through the official SDKs: a change to what a role or user may do reaches
 * authorization (AssumeRole's two checks and EventBridge PutEvents) only after its lag; until then the
 * previous permissions apply. Manual clock and seeded random: reproducible.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/server/fault-injector.js';
import {
  allowOn,
  assume,
  GRANT_POLICY,
  publish,
  PUBLISH_POLICY,
  setUpDelegation,
  trustOf,
  type Delegation,
} from './delegation-setup.js';
import { $Ram, manualClock, sdkError, startSdkWorld, type SdkWorld } from './sdk-setup.js';

const LAG_MS = 3000;

describe('authorization lags behind permission changes (authorizationLagMs)', () => {
  const time = manualClock();
  let world: SdkWorld;
  let d: Delegation;

  beforeAll(async () => {
    world = await startSdkWorld({ clock: time.clock, random: seededRandom(11) });
  });
  afterAll(async () => world.emulator.stop());
  beforeEach(async () => {
    d = await setUpDelegation(world, 'orders-bus-publisher');
    expect((await world.admin('PUT', 'faults', { authorizationLagMs: LAG_MS })).status).toBe(200);
  });

  const detachFromRole = () =>
    world.ram(d.rootA).detachPolicyFromRole(
      new $Ram.DetachPolicyFromRoleRequest({
        roleName: d.roleName,
        policyType: 'Custom',
        policyName: PUBLISH_POLICY,
      }),
    );

  const refusal = async (call: Promise<unknown>) => {
    const error = await sdkError(call);
    return { code: error.code, status: error.statusCode };
  };
  /** The EventBridge data-plane SDK reports the code only. */
  const denialCode = async (call: Promise<unknown>) => (await sdkError(call)).code;

  it('PutEvents by a session keeps working after the detach until the change propagates', async () => {
    const session = await assume(world, d.publisher, d.roleArn);
    await detachFromRole();
    expect((await publish(world, session, 'before-propagation')).failedEntryCount).toBe(0);
    time.advance(LAG_MS);
    expect(await denialCode(publish(world, session, 'after-propagation'))).toBe('AccessDenied');
  });

  it("AssumeRole keeps working after the caller's grant is detached until the change propagates", async () => {
    await world.ram(d.rootB).detachPolicyFromUser(
      new $Ram.DetachPolicyFromUserRequest({
        userName: 'publisher',
        policyType: 'Custom',
        policyName: GRANT_POLICY,
      }),
    );
    expect((await assume(world, d.publisher, d.roleArn)).accessKeyId).toMatch(/^STS\./);
    time.advance(LAG_MS);
    expect(await refusal(assume(world, d.publisher, d.roleArn))).toEqual({
      code: 'NoPermission',
      status: 403,
    });
  });

  it('a deleted role can still be assumed and its sessions still publish until the deletion propagates', async () => {
    const session = await assume(world, d.publisher, d.roleArn);
    await detachFromRole();
    await world.ram(d.rootA).deleteRole(new $Ram.DeleteRoleRequest({ roleName: d.roleName }));
    expect((await publish(world, session, 'still-allowed')).failedEntryCount).toBe(0);
    const late = await assume(world, d.publisher, d.roleArn);
    expect((await publish(world, late, 'late-session')).failedEntryCount).toBe(0);
    time.advance(LAG_MS);
    expect(await denialCode(publish(world, session, 'revoked'))).toBe('AccessDenied');
    expect(await denialCode(publish(world, late, 'revoked-late'))).toBe('AccessDenied');
    expect(await refusal(assume(world, d.publisher, d.roleArn))).toEqual({
      code: 'EntityNotExist.Role',
      status: 404,
    });
  });

  it('a trust policy change reaches AssumeRole late: the old trust applies meanwhile', async () => {
    await world.ram(d.rootA).updateRole(
      new $Ram.UpdateRoleRequest({
        roleName: d.roleName,
        newAssumeRolePolicyDocument: trustOf('3333333333333333'),
      }),
    );
    expect((await assume(world, d.publisher, d.roleArn)).accessKeyId).toMatch(/^STS\./);
    time.advance(LAG_MS);
    const denied = await sdkError(assume(world, d.publisher, d.roleArn));
    expect([denied.code, denied.accessDeniedDetail?.PolicyType]).toEqual([
      'NoPermission',
      'AssumeRolePolicy',
    ]);
  });

  it('a new default policy version reaches PutEvents late', async () => {
    const session = await assume(world, d.publisher, d.roleArn);
    await world.ram(d.rootA).createPolicyVersion(
      new $Ram.CreatePolicyVersionRequest({
        policyName: PUBLISH_POLICY,
        policyDocument: allowOn('eventbridge:PutEvents', 'acs:eventbridge:*:*:eventbus/other'),
        setAsDefault: true,
      }),
    );
    expect((await publish(world, session, 'old-version')).failedEntryCount).toBe(0);
    time.advance(LAG_MS);
    expect(await denialCode(publish(world, session, 'new-version'))).toBe('AccessDenied');
  });

  it('with the lag off (after reset) a detach revokes at once', async () => {
    d = await setUpDelegation(world, 'orders-bus-publisher');
    expect((await world.admin('GET', 'faults')).body).toMatchObject({ authorizationLagMs: 0 });
    const session = await assume(world, d.publisher, d.roleArn);
    await detachFromRole();
    expect(await denialCode(publish(world, session, 'at-once'))).toBe('AccessDenied');
  });
});
