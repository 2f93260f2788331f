import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { A, B, CASES, TRUST } from './error-cases.js';
import {
  $Sts,
  callRam as ram,
  sdkError,
  startSdkWorld,
  type Credentials,
  type SdkWorld,
} from './sdk-setup.js';
describe('emulator error codes through the official RAM/STS SDKs', () => {
  let world: SdkWorld;
  let rootA: Credentials;
  let rootB: Credentials;

  beforeAll(async () => {
    world = await startSdkWorld();
  });
  afterAll(async () => world.emulator.stop());
  beforeEach(async () => {
    expect((await world.admin('POST', 'reset')).status).toBe(204);
    rootA = await world.createAccount(A);
    rootB = await world.createAccount(B);
  });

  it.each(CASES.map((c, i) => ({ ...c, name: `${c.code} (${c.fail[0]} #${i})` })))(
    '$name',
    async ({ code, status, setup, fail }) => {
      const client = world.ram(rootA);
      for (const [action, fields] of setup ?? []) await ram(client, action, fields);
      const error = await sdkError(ram(client, fail[0], fail[1]));
      expect({ code: error.code, status: error.statusCode }).toEqual({ code, status });
    },
  );

  it('LimitExceeded.Role 409 after 1000 roles', async () => {
    const client = world.ram(rootA);
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          ram(client, 'createRole', { roleName: `r-${i + j}`, assumeRolePolicyDocument: TRUST }),
        ),
      );
    }
    const error = await sdkError(
      ram(client, 'createRole', { roleName: 'one-too-many', assumeRolePolicyDocument: TRUST }),
    );
    expect({ code: error.code, status: error.statusCode }).toEqual({
      code: 'LimitExceeded.Role',
      status: 409,
    });
  });

  async function userWithKey(accountRoot: Credentials, userName: string): Promise<Credentials> {
    const client = world.ram(accountRoot);
    await ram(client, 'createUser', { userName });
    const key = (await ram(client, 'createAccessKey', { userName })) as {
      body: { accessKey: { accessKeyId: string; accessKeySecret: string } };
    };
    return {
      accessKeyId: key.body.accessKey.accessKeyId,
      accessKeySecret: key.body.accessKey.accessKeySecret,
    };
  }

  it('NoPermission 403 with AccessDeniedDetail for a RAM user without policies', async () => {
    const nobody = await userWithKey(rootA, 'nobody');
    const error = await sdkError(ram(world.ram(nobody), 'listRoles'));
    expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'NoPermission', status: 403 });
    expect(error.accessDeniedDetail).toMatchObject({
      NoPermissionType: 'ImplicitDeny',
      AuthAction: 'ram:ListRoles',
      AuthPrincipalType: 'SubUser',
    });
  });

  it('STS: EntityNotExist.Role, trust refusal, and security token errors', async () => {
    const caller = await userWithKey(rootB, 'caller');
    await ram(world.ram(rootB), 'attachPolicyToUser', {
      userName: 'caller',
      policyName: 'AliyunSTSAssumeRoleAccess',
      policyType: 'System',
    });
    const sts = world.sts(caller);
    const missing = await sdkError(
      sts.assumeRole(
        new $Sts.AssumeRoleRequest({ roleArn: `acs:ram::${A}:role/ghost`, roleSessionName: 'abc' }),
      ),
    );
    expect({ code: missing.code, status: missing.statusCode }).toEqual({
      code: 'EntityNotExist.Role',
      status: 404,
    });

    await ram(world.ram(rootA), 'createRole', {
      roleName: 'r',
      assumeRolePolicyDocument: TRUST.replace(B, '3333333333333333'),
    });
    const untrusted = await sdkError(
      sts.assumeRole(new $Sts.AssumeRoleRequest({ roleArn: `acs:ram::${A}:role/r`, roleSessionName: 'abc' })),
    );
    expect({ code: untrusted.code, status: untrusted.statusCode }).toEqual({
      code: 'NoPermission',
      status: 403,
    });
    await ram(world.ram(rootA), 'updateRole', { roleName: 'r', newAssumeRolePolicyDocument: TRUST });

    const badDuration = await sdkError(
      sts.assumeRole(
        new $Sts.AssumeRoleRequest({
          roleArn: `acs:ram::${A}:role/r`,
          roleSessionName: 'abc',
          durationSeconds: 100,
        }),
      ),
    );
    expect({ code: badDuration.code, status: badDuration.statusCode }).toEqual({
      code: 'InvalidParameter.DurationSeconds',
      status: 400,
    });

    const issue = async () => {
      const response = await sts.assumeRole(
        new $Sts.AssumeRoleRequest({ roleArn: `acs:ram::${A}:role/r`, roleSessionName: 'abc' }),
      );
      const c = response.body?.credentials;
      return {
        accessKeyId: c?.accessKeyId ?? '',
        accessKeySecret: c?.accessKeySecret ?? '',
        securityToken: c?.securityToken ?? '',
      };
    };
    const one = await issue();
    const two = await issue();
    const mismatch = await sdkError(
      world.sts({ ...one, securityToken: two.securityToken }).getCallerIdentity(),
    );
    expect({ code: mismatch.code, status: mismatch.statusCode }).toEqual({
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
      status: 400,
    });
    const malformed = await sdkError(world.sts({ ...one, securityToken: 'CAISgarbage' }).getCallerIdentity());
    expect({ code: malformed.code, status: malformed.statusCode }).toEqual({
      code: 'InvalidSecurityToken.Malformed',
      status: 400,
    });
  });
});
