import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  $Ram,
  $Sts,
  orderEvent,
  sdkError,
  startSdkWorld,
  type Credentials,
  type SdkWorld,
} from './sdk-setup.js';

const A = '1111111111111111';
const B = '2222222222222222';
const ROLE = 'orders-bus-publisher';
const ROLE_ARN = `acs:ram::${A}:role/${ROLE}`;
const BUS_ARN = `acs:eventbridge:cn-hangzhou:${A}:eventbus/orders`;

describe('emulator seed scenario through the official SDKs', () => {
  let world: SdkWorld;
  let rootA: Credentials;
  let rootB: Credentials;
  let publisher: Credentials;
  let session: Credentials;

  beforeAll(async () => {
    world = await startSdkWorld();
  });
  afterAll(async () => world.emulator.stop());

  it('admin creates accounts A and B and the orders bus in A', async () => {
    rootA = await world.createAccount(A);
    rootB = await world.createAccount(B);
    const again = await world.admin('POST', 'accounts', { accountId: A });
    expect(again).toMatchObject({ status: 200, body: { accessKeyId: rootA.accessKeyId } });
    expect(
      (await world.admin('POST', `accounts/${A}/eventbuses`, { name: 'orders', region: 'cn-hangzhou' }))
        .status,
    ).toBe(201);
    const identity = await world.sts(rootA).getCallerIdentity();
    expect(identity.body).toMatchObject({ accountId: A, identityType: 'Account', arn: `acs:ram::${A}:root` });
  });

  it('A creates the role trusting B, a custom policy for the bus, and attaches it', async () => {
    const ram = world.ram(rootA);
    const trust = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${B}:root`] } }],
    });
    const role = await ram.createRole(
      new $Ram.CreateRoleRequest({
        roleName: ROLE,
        assumeRolePolicyDocument: trust,
        description: 'Lets Enterprise B publish to the orders bus',
        maxSessionDuration: 3600,
        tag: [new $Ram.CreateRoleRequestTag({ key: 'ram-delegation.dev/owner', value: 'c/platform/orders' })],
      }),
    );
    expect(role.body?.role).toMatchObject({
      roleName: ROLE,
      arn: ROLE_ARN,
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: trust,
    });
    expect(role.body?.role?.roleId).toMatch(/^\d+$/);
    const document = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['eventbridge:PutEvents'], Resource: [BUS_ARN] }],
    });
    const policy = await ram.createPolicy(
      new $Ram.CreatePolicyRequest({
        policyName: 'orders-bus-publish',
        policyDocument: document,
        description: 'PutEvents on orders',
      }),
    );
    expect(policy.body?.policy).toMatchObject({
      policyName: 'orders-bus-publish',
      policyType: 'Custom',
      defaultVersion: 'v1',
    });
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: ROLE,
        policyType: 'Custom',
        policyName: 'orders-bus-publish',
      }),
    );
    const attached = await ram.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: ROLE }));
    expect(attached.body?.policies?.policy?.map((p) => p.policyName)).toEqual(['orders-bus-publish']);
    const got = await ram.getPolicy(
      new $Ram.GetPolicyRequest({ policyName: 'orders-bus-publish', policyType: 'Custom' }),
    );
    expect(got.body?.defaultPolicyVersion?.policyDocument).toBe(document);
    const tags = await ram.listTagResources(
      new $Ram.ListTagResourcesRequest({ resourceType: 'role', resourceNames: [ROLE] }),
    );
    expect(tags.body?.tagResources?.map((t) => [t.tagKey, t.tagValue])).toEqual([
      ['ram-delegation.dev/owner', 'c/platform/orders'],
    ]);
  });

  it('B creates a user with an AccessKey and a scoped grant to assume the role', async () => {
    const ram = world.ram(rootB);
    const user = await ram.createUser(
      new $Ram.CreateUserRequest({
        userName: 'orders-publisher',
        comments: 'ram-delegation.dev/owner=c/platform/orders',
      }),
    );
    expect(user.body?.user).toMatchObject({
      userName: 'orders-publisher',
      comments: 'ram-delegation.dev/owner=c/platform/orders',
    });
    const key = await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: 'orders-publisher' }));
    publisher = {
      accessKeyId: key.body?.accessKey?.accessKeyId ?? '',
      accessKeySecret: key.body?.accessKey?.accessKeySecret ?? '',
    };
    expect(publisher.accessKeyId).toMatch(/^LTAI/);
    const grant = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `acs:ram:*:${A}:role/${ROLE}` }],
    });
    await ram.createPolicy(
      new $Ram.CreatePolicyRequest({ policyName: 'assume-orders-bus-publisher', policyDocument: grant }),
    );
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: 'orders-publisher',
        policyType: 'Custom',
        policyName: 'assume-orders-bus-publisher',
      }),
    );
    const me = await world.sts(publisher).getCallerIdentity();
    expect(me.body).toMatchObject({
      accountId: B,
      identityType: 'RAMUser',
      arn: `acs:ram::${B}:user/orders-publisher`,
    });
  });

  it("B's user assumes the role and publishes to A's bus", async () => {
    const assumed = await world
      .sts(publisher)
      .assumeRole(
        new $Sts.AssumeRoleRequest({ roleArn: ROLE_ARN, roleSessionName: 'publisher', durationSeconds: 900 }),
      );
    const creds = assumed.body?.credentials;
    expect(creds?.accessKeyId).toMatch(/^STS\./);
    expect(creds?.expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(assumed.body?.assumedRoleUser?.arn).toBe(`${ROLE_ARN}/publisher`);
    session = {
      accessKeyId: creds?.accessKeyId ?? '',
      accessKeySecret: creds?.accessKeySecret ?? '',
      securityToken: creds?.securityToken ?? '',
    };

    const identity = await world.sts(session).getCallerIdentity();
    expect(identity.body).toMatchObject({
      accountId: A,
      identityType: 'AssumedRoleUser',
      arn: `acs:ram::${A}:assumed-role/${ROLE}/publisher`,
    });

    const result = await world.eventBridge(session).putEvents([orderEvent('order-1', 'orders')]);
    expect(result.failedEntryCount).toBe(0);
    expect(result.entryList?.[0]?.eventId).toBe('order-1');
    const events = await world.admin('GET', `accounts/${A}/eventbuses/orders/events`);
    expect((events.body.events as { id: string }[]).map((e) => e.id)).toEqual(['order-1']);
  });

  it("B's user cannot publish directly, nor can B's root", async () => {
    const direct = await sdkError(world.eventBridge(publisher).putEvents([orderEvent('order-x', 'orders')]));
    expect(direct.code).toBe('AccessDenied');
    const byRoot = await sdkError(
      world.sts(rootB).assumeRole(new $Sts.AssumeRoleRequest({ roleArn: ROLE_ARN, roleSessionName: 'root' })),
    );
    expect([byRoot.code, byRoot.statusCode, byRoot.message]).toEqual([
      'NoPermission',
      403,
      expect.stringContaining('Roles may not be assumed by root accounts.'),
    ]);
  });

  it('A detaches the policy and the same STS credentials are refused at once', async () => {
    await world.ram(rootA).detachPolicyFromRole(
      new $Ram.DetachPolicyFromRoleRequest({
        roleName: ROLE,
        policyType: 'Custom',
        policyName: 'orders-bus-publish',
      }),
    );
    const refused = await sdkError(world.eventBridge(session).putEvents([orderEvent('order-2', 'orders')]));
    expect(refused.code).toBe('AccessDenied');
    const events = await world.admin('GET', `accounts/${A}/eventbuses/orders/events`);
    expect((events.body.events as unknown[]).length).toBe(1);
  });

  it('A deletes the role and AssumeRole fails with EntityNotExist.Role', async () => {
    await world.ram(rootA).deleteRole(new $Ram.DeleteRoleRequest({ roleName: ROLE }));
    const error = await sdkError(
      world
        .sts(publisher)
        .assumeRole(new $Sts.AssumeRoleRequest({ roleArn: ROLE_ARN, roleSessionName: 'publisher' })),
    );
    expect([error.code, error.statusCode]).toEqual(['EntityNotExist.Role', 404]);
    // Outstanding credentials of the deleted role authenticate but grant nothing.
    const stale = await sdkError(world.eventBridge(session).putEvents([orderEvent('order-3', 'orders')]));
    expect(stale.code).toBe('AccessDenied');
    const state = await world.admin('GET', `accounts/${A}/state`);
    expect(state.body.roles).toEqual([]);
    expect(JSON.stringify(state.body)).not.toContain(rootA.accessKeySecret);
  });
});
