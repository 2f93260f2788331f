import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as $Ram from '@alicloud/ram20150501';
import * as $Sts from '@alicloud/sts20150401';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { adminCall, createAccount } from '../../src/admin-client.js';
import {
  RamClient,
  StsClient,
  cloudEvent,
  eventBridgeClient,
  sdkConfig,
  sdkError,
  type ClientCredentials,
} from './wire-clients.js';

const OWNER = '1111111111111111';
const TRUSTED = '2222222222222222';

/** The wire layer in front of the real cloud model (`createCloudBackend()`), through the official SDKs. */
describe('emulator wire + real cloud model', () => {
  let emulator: RunningEmulator;
  let endpoint: string;
  let owner: ClientCredentials;
  let trusted: ClientCredentials;

  const admin = (method: string, path: string, body?: unknown) => adminCall(emulator.url, method, path, body);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    endpoint = `127.0.0.1:${emulator.port}`;
    owner = await createAccount(emulator.url, OWNER, 'enterprise-a');
    trusted = await createAccount(emulator.url, TRUSTED, 'enterprise-b');
    expect(
      (
        await admin('POST', `/_emulator/accounts/${OWNER}/eventbuses`, {
          name: 'orders',
          region: 'cn-hangzhou',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => emulator.stop());

  it('GetCallerIdentity with ACS3 and with v1 signatures', async () => {
    for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
      const response = await new StsClient(sdkConfig(endpoint, owner, extra)).getCallerIdentity();
      expect(response.body?.accountId).toBe(OWNER);
    }
  });

  it('CreateRole then GetRole, and the role shows in the admin state dump', async () => {
    const ram = new RamClient(sdkConfig(endpoint, owner));
    const trust = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${TRUSTED}:root`] } },
      ],
    };
    await ram.createRole(
      new $Ram.CreateRoleRequest({
        roleName: 'orders-bus-publisher',
        assumeRolePolicyDocument: JSON.stringify(trust),
        maxSessionDuration: 3600,
      }),
    );
    const role = await ram.getRole(new $Ram.GetRoleRequest({ roleName: 'orders-bus-publisher' }));
    expect(role.body?.role?.arn).toBe(`acs:ram::${OWNER}:role/orders-bus-publisher`);
    const missing = await sdkError(ram.getRole(new $Ram.GetRoleRequest({ roleName: 'no-such-role' })));
    expect([missing.code, missing.statusCode]).toEqual(['EntityNotExist.Role', 404]);
    const state = await admin('GET', `/_emulator/accounts/${OWNER}/state`);
    expect(JSON.stringify(state.body.roles)).toContain('orders-bus-publisher');
  });

  it('AssumeRole across accounts, then the STS credentials work and a tampered token is refused', async () => {
    // Roots may not assume roles: B's root creates a RAM user allowed to, with an AccessKey.
    const ramB = new RamClient(sdkConfig(endpoint, trusted));
    await ramB.createUser(new $Ram.CreateUserRequest({ userName: 'orders-publisher' }));
    await ramB.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        policyType: 'System',
        policyName: 'AliyunSTSAssumeRoleAccess',
        userName: 'orders-publisher',
      }),
    );
    const key = (
      await ramB.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: 'orders-publisher' }))
    ).body?.accessKey;
    const user = { accessKeyId: String(key?.accessKeyId), accessKeySecret: String(key?.accessKeySecret) };
    const sts = new StsClient(sdkConfig(endpoint, user));
    const assumed = await sts.assumeRole(
      new $Sts.AssumeRoleRequest({
        roleArn: `acs:ram::${OWNER}:role/orders-bus-publisher`,
        roleSessionName: 'wire',
        durationSeconds: 900,
      }),
    );
    const credentials = assumed.body?.credentials;
    const session: ClientCredentials = {
      accessKeyId: String(credentials?.accessKeyId),
      accessKeySecret: String(credentials?.accessKeySecret),
      securityToken: String(credentials?.securityToken),
    };
    for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
      const identity = await new StsClient(sdkConfig(endpoint, session, extra)).getCallerIdentity();
      expect(identity.body?.accountId).toBe(OWNER);
      expect(identity.body?.arn).toContain('orders-bus-publisher/wire');
    }
    const token = session.securityToken ?? '';
    const tampered = {
      ...session,
      securityToken: `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`,
    };
    const error = await sdkError(new StsClient(sdkConfig(endpoint, tampered)).getCallerIdentity());
    expect(String(error.code)).toMatch(/^InvalidSecurityToken\./);
    expect(error.statusCode).toBe(400);
  });

  it('PutEvents by the bus owner lands on the bus; a wrong secret is refused', async () => {
    const response = await eventBridgeClient(endpoint, owner).putEvents([
      cloudEvent('order-1', 'orders', { id: 1 }),
    ]);
    expect(response.failedEntryCount).toBe(0);
    const events = await admin('GET', `/_emulator/accounts/${OWNER}/eventbuses/orders/events`);
    expect((events.body.events as { id: string }[]).map((e) => e.id)).toEqual(['order-1']);
    const wrong = await sdkError(
      eventBridgeClient(endpoint, { ...owner, accessKeySecret: 'wrong' }).putEvents([
        cloudEvent('x', 'orders', {}),
      ]),
    );
    expect(wrong.code).toBe('SignatureDoesNotMatch');
  });

  it('answers unknown accounts 404 on the admin API', async () => {
    expect((await admin('GET', '/_emulator/accounts/9999999999999999/state')).status).toBe(404);
    const bus = await admin('POST', '/_emulator/accounts/9999999999999999/eventbuses', {
      name: 'o',
      region: 'cn-hangzhou',
    });
    expect(bus.status).toBe(404);
    expect((await admin('GET', '/_emulator/accounts/9999999999999999/eventbuses/orders/events')).status).toBe(
      404,
    );
  });
});
