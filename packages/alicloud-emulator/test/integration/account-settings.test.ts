/**
 * Account-wide RAM settings and limits through the official RAM SDK: the password policy and the login
 * passwords it checks, the account alias and the sign-in domain it sets, the group limits and
 * ListTagResources' page size.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { $Ram, sdkError, startSdkWorld, type RamClient, type SdkWorld } from './sdk-setup.js';

const A = '1111111111111111';
const B = '2222222222222222';

describe('account settings and limits through the SDK', () => {
  let world: SdkWorld;
  let ram: RamClient;

  beforeAll(async () => {
    world = await startSdkWorld();
  });
  afterAll(async () => world.emulator.stop());
  beforeEach(async () => {
    await world.admin('POST', 'reset');
    ram = world.ram(await world.createAccount(B));
    await ram.createUser(new $Ram.CreateUserRequest({ userName: 'alice' }));
  });

  const failure = async (call: Promise<unknown>) => {
    const error = await sdkError(call);
    return { code: error.code, status: error.statusCode };
  };

  it("starts with RAM's default password policy", async () => {
    const policy = (await ram.getPasswordPolicy()).body?.passwordPolicy;
    expect(policy).toEqual(
      expect.objectContaining({
        minimumPasswordLength: 8,
        requireLowercaseCharacters: false,
        requireUppercaseCharacters: false,
        requireNumbers: false,
        requireSymbols: false,
        hardExpiry: false,
        maxPasswordAge: 0,
        passwordReusePrevention: 0,
        maxLoginAttemps: 0,
      }),
    );
    await ram.createLoginProfile(
      new $Ram.CreateLoginProfileRequest({ userName: 'alice', password: 'plainpass' }),
    );
  });

  it('checks login passwords against the policy SetPasswordPolicy sets', async () => {
    const set = await ram.setPasswordPolicy(
      new $Ram.SetPasswordPolicyRequest({
        minimumPasswordLength: 12,
        requireUppercaseCharacters: true,
        requireNumbers: true,
        requireSymbols: true,
      }),
    );
    expect(set.body?.passwordPolicy).toMatchObject({ minimumPasswordLength: 12, requireSymbols: true });
    expect((await ram.getPasswordPolicy()).body?.passwordPolicy).toMatchObject({
      minimumPasswordLength: 12,
      requireUppercaseCharacters: true,
      requireLowercaseCharacters: false,
    });
    const weak = new $Ram.CreateLoginProfileRequest({ userName: 'alice', password: 'Str0ngPassw0rd' });
    expect(await failure(ram.createLoginProfile(weak))).toEqual({
      code: 'InvalidParameter.Password.TooWeak',
      status: 400,
    });
    await ram.createLoginProfile(
      new $Ram.CreateLoginProfileRequest({ userName: 'alice', password: 'Str0ng-Passw0rd' }),
    );
    const update = new $Ram.UpdateLoginProfileRequest({ userName: 'alice', password: 'short-1A' });
    expect(await failure(ram.updateLoginProfile(update))).toEqual({
      code: 'InvalidParameter.Password.TooWeak',
      status: 400,
    });
  });

  it('refuses a policy value out of range with a 400 naming the field', async () => {
    for (const [request, field] of [
      [{ minimumPasswordLength: 7 }, 'MinimumPasswordLength'],
      [{ maxPasswordAge: 1096 }, 'MaxPasswordAge'],
      [{ passwordReusePrevention: 25 }, 'PasswordReusePrevention'],
      [{ maxLoginAttemps: 33 }, 'MaxLoginAttemps'],
    ] as const) {
      expect(await failure(ram.setPasswordPolicy(new $Ram.SetPasswordPolicyRequest(request)))).toEqual({
        code: `InvalidParameter.${field}.Range`,
        status: 400,
      });
    }
    expect((await ram.getPasswordPolicy()).body?.passwordPolicy?.minimumPasswordLength).toBe(8);
  });

  it('the alias is the account id until set; it replaces the id in the sign-in domain', async () => {
    const principalName = async () => {
      const state = await world.admin('GET', `accounts/${B}/state`);
      return (state.body.users as { principalName: string }[])[0]?.principalName;
    };
    expect((await ram.getAccountAlias()).body?.accountAlias).toBe(B);
    expect(await principalName()).toBe(`alice@${B}.onaliyun.com`);
    await ram.setAccountAlias(new $Ram.SetAccountAliasRequest({ accountAlias: 'enterprise-b' }));
    expect((await ram.getAccountAlias()).body?.accountAlias).toBe('enterprise-b');
    expect(await principalName()).toBe('alice@enterprise-b.onaliyun.com');
    expect((await world.admin('GET', `accounts/${B}/state`)).body.account).toMatchObject({
      accountAlias: 'enterprise-b',
    });
    await ram.clearAccountAlias();
    expect(await principalName()).toBe(`alice@${B}.onaliyun.com`);
  });

  it('refuses a malformed alias and one another account holds', async () => {
    for (const [alias, code] of [
      ['ab', 'InvalidParameter.AccountAlias.Length'],
      ['a'.repeat(33), 'InvalidParameter.AccountAlias.Length'],
      ['Enterprise-B', 'InvalidParameter.AccountAlias.Format'],
      ['-edge', 'InvalidParameter.AccountAlias.Format'],
      ['double--hyphen', 'InvalidParameter.AccountAlias.Format'],
    ] as const) {
      const request = new $Ram.SetAccountAliasRequest({ accountAlias: alias });
      expect(await failure(ram.setAccountAlias(request))).toEqual({ code, status: 400 });
    }
    await ram.setAccountAlias(new $Ram.SetAccountAliasRequest({ accountAlias: 'taken' }));
    const other = world.ram(await world.createAccount(A));
    expect(
      await failure(other.setAccountAlias(new $Ram.SetAccountAliasRequest({ accountAlias: 'taken' }))),
    ).toEqual({
      code: 'EntityAlreadyExists.AccountAlias',
      status: 409,
    });
  });

  it('a user joins at most 10 groups; an account holds at most 300 groups', async () => {
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          ram.createGroup(new $Ram.CreateGroupRequest({ groupName: `g-${i + j}` })),
        ),
      );
    }
    expect(
      await failure(ram.createGroup(new $Ram.CreateGroupRequest({ groupName: 'one-too-many' }))),
    ).toEqual({
      code: 'LimitExceeded.Group',
      status: 409,
    });
    for (let i = 0; i < 10; i += 1)
      await ram.addUserToGroup(new $Ram.AddUserToGroupRequest({ userName: 'alice', groupName: `g-${i}` }));
    const eleventh = new $Ram.AddUserToGroupRequest({ userName: 'alice', groupName: 'g-10' });
    expect(await failure(ram.addUserToGroup(eleventh))).toEqual({
      code: 'LimitExceeded.User.Group',
      status: 409,
    });
  });

  it('ListTagResources takes a PageSize of 1 to 100', async () => {
    const page = (pageSize: number) =>
      ram.listTagResources(new $Ram.ListTagResourcesRequest({ resourceType: 'role', pageSize }));
    expect((await page(100)).body?.tagResources).toEqual([]);
    expect((await page(1)).body?.tagResources).toEqual([]);
    for (const size of [0, 101]) {
      expect(await failure(page(size))).toEqual({ code: 'InvalidParameter.PageSize', status: 400 });
    }
  });
});
