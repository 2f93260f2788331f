/**
 * The call counter (`GET /_emulator/accounts/{id}/calls`), AccessKey last use (GetAccessKeyLastUsed)
 * and Inactive AccessKeys (UpdateAccessKey), through the official SDKs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isoSeconds } from '../../src/cloud/ids.js';
import { A, assume, B, publish, setUpDelegation, type Delegation } from './delegation-setup.js';
import { $Ram, manualClock, orderEvent, sdkError, startSdkWorld, type SdkWorld } from './sdk-setup.js';

type Counts = Record<string, number>;

/** What changed between two readings of the counter. */
function delta(before: Counts, after: Counts): Counts {
  const changed: Counts = {};
  for (const [key, count] of Object.entries(after)) {
    const diff = count - (before[key] ?? 0);
    if (diff !== 0) changed[key] = diff;
  }
  return changed;
}

describe('signed-call counter, AccessKey last use and Inactive keys', () => {
  const time = manualClock();
  let world: SdkWorld;
  let d: Delegation;

  beforeAll(async () => {
    world = await startSdkWorld({ clock: time.clock });
  });
  afterAll(async () => world.emulator.stop());
  beforeEach(async () => {
    d = await setUpDelegation(world, 'orders-bus-publisher');
  });

  const counts = async (accountId: string): Promise<Counts> => {
    const answer = await world.admin('GET', `accounts/${accountId}/calls`);
    expect(answer.status).toBe(200);
    return answer.body.calls as Counts;
  };

  it("counts every signed call per action for the signer's account, refused calls included", async () => {
    expect(await counts(A)).toEqual({
      'ram:AttachPolicyToRole': 1,
      'ram:CreatePolicy': 1,
      'ram:CreateRole': 1,
    });
    const [beforeA, beforeB] = [await counts(A), await counts(B)];
    const ramA = world.ram(d.rootA);
    await ramA.getRole(new $Ram.GetRoleRequest({ roleName: d.roleName }));
    await sdkError(ramA.getRole(new $Ram.GetRoleRequest({ roleName: 'ghost' })));
    await world.sts(d.rootA).getCallerIdentity();
    // B's user: refused by RAM (no permission), then allowed by STS; both count for B.
    await sdkError(world.ram(d.publisher).listRoles(new $Ram.ListRolesRequest({})));
    const session = await assume(world, d.publisher, d.roleArn);
    // The session's calls count for the role's account, A.
    await world.sts(session).getCallerIdentity();
    await publish(world, session, 'counted');
    const noBus = await sdkError(world.eventBridge(session).putEvents([orderEvent('lost', 'no-such-bus')]));
    expect(noBus.code).toBe('EventBusNotExist');
    expect(delta(beforeA, await counts(A))).toEqual({
      'ram:GetRole': 2,
      'sts:GetCallerIdentity': 2,
      'eventbridge:PutEvents': 2,
    });
    expect(delta(beforeB, await counts(B))).toEqual({ 'ram:ListRoles': 1, 'sts:AssumeRole': 1 });
  });

  it('does not count calls without a verified signature, nor admin calls; throttled calls count', async () => {
    const before = await counts(A);
    const forged = { accessKeyId: d.rootA.accessKeyId, accessKeySecret: 'not-the-secret' };
    expect((await sdkError(world.sts(forged).getCallerIdentity())).code).toBe('SignatureDoesNotMatch');
    const unknown = { accessKeyId: 'LTAIunknownunknownunkn', accessKeySecret: 'x' };
    expect((await sdkError(world.sts(unknown).getCallerIdentity())).code).toBe('InvalidAccessKeyId.NotFound');
    await world.admin('GET', `accounts/${A}/state`);
    expect(await counts(A)).toEqual(before);
    await world.admin('PUT', 'faults', { throttleRate: 1 });
    expect((await sdkError(world.sts(d.rootA).getCallerIdentity())).code).toBe('Throttling.User');
    expect(delta(before, await counts(A))).toEqual({ 'sts:GetCallerIdentity': 1 });
  });

  it('POST /_emulator/reset clears the counts; an unknown account is a 404', async () => {
    await world.sts(d.rootA).getCallerIdentity();
    expect(await world.admin('POST', 'reset')).toMatchObject({ status: 204 });
    expect((await world.admin('GET', `accounts/${A}/calls`)).status).toBe(404);
    await world.createAccount(A);
    expect(await counts(A)).toEqual({});
  });

  it('GetAccessKeyLastUsed answers when the key last signed a verified call, refused or not', async () => {
    const ramB = world.ram(d.rootB);
    const lastUsed = async () =>
      (
        await ramB.getAccessKeyLastUsed(
          new $Ram.GetAccessKeyLastUsedRequest({
            userName: 'publisher',
            userAccessKeyId: d.publisher.accessKeyId,
          }),
        )
      ).body?.accessKeyLastUsed?.lastUsedDate;
    expect(await lastUsed()).toBeUndefined();
    await world.sts(d.publisher).getCallerIdentity();
    const firstUse = isoSeconds(time.now());
    expect(await lastUsed()).toBe(firstUse);
    time.advance(300_000);
    await sdkError(world.ram(d.publisher).listRoles(new $Ram.ListRolesRequest({})));
    const refusedUse = isoSeconds(time.now());
    expect(await lastUsed()).toBe(refusedUse);
    // Calls made with STS credentials obtained by the key are not uses of the key.
    const session = await assume(world, d.publisher, d.roleArn);
    time.advance(60_000);
    await publish(world, session, 'by-session');
    expect(await lastUsed()).toBe(refusedUse);
    const missing = await sdkError(
      ramB.getAccessKeyLastUsed(
        new $Ram.GetAccessKeyLastUsedRequest({ userName: 'publisher', userAccessKeyId: 'LTAInope' }),
      ),
    );
    expect([missing.code, missing.statusCode]).toEqual(['EntityNotExist.User.AccessKey', 404]);
  });

  it('an Inactive key is refused with InvalidAccessKeyId.Inactive until it is active again', async () => {
    const ramB = world.ram(d.rootB);
    const setStatus = (status: string) =>
      ramB.updateAccessKey(
        new $Ram.UpdateAccessKeyRequest({
          userName: 'publisher',
          userAccessKeyId: d.publisher.accessKeyId,
          status,
        }),
      );
    await setStatus('Inactive');
    const listed = await ramB.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: 'publisher' }));
    expect(listed.body?.accessKeys?.accessKey?.map((k) => k.status)).toEqual(['Inactive']);
    const before = await counts(B);
    const refused = await sdkError(world.sts(d.publisher).getCallerIdentity());
    expect([refused.code, refused.statusCode]).toEqual(['InvalidAccessKeyId.Inactive', 403]);
    const refusedRam = await sdkError(world.ram(d.publisher).listUsers(new $Ram.ListUsersRequest({})));
    expect(refusedRam.code).toBe('InvalidAccessKeyId.Inactive');
    expect(await counts(B)).toEqual(before);
    await setStatus('Active');
    expect((await world.sts(d.publisher).getCallerIdentity()).body?.accountId).toBe(B);
    const bad = await sdkError(setStatus('Disabled'));
    expect([bad.code, bad.statusCode]).toEqual(['InvalidParameter.Status', 400]);
  });
});
