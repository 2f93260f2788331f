import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccountPorts,
  openAccount,
  resolveCredentials,
  UNLIMITED,
} from '../../../src/alicloud/index.js';
import type { NewAccessKey } from '../../../src/alicloud/ports.js';
import { allowDocument, callRecorder, EmulatorFixture, trustAccount, type RootKey } from './fixture.js';

const A = '1111111111111111';
const B = '2222222222222222';
const ROLE_ARN = `acs:ram::${A}:role/orders-bus-publisher`;

let fixture: EmulatorFixture;
let rootA: RootKey;
let publisherKey: NewAccessKey;

beforeAll(async () => {
  fixture = await EmulatorFixture.start();
  rootA = await fixture.createAccount(A);
  const rootB = await fixture.createAccount(B);

  const ramA = fixture.ports(rootA, { accountId: A }).ram;
  await ramA.createRole({
    roleName: 'orders-bus-publisher',
    trustPolicy: trustAccount(B),
    description: '',
    maxSessionDuration: 3600,
  });
  await ramA.createPolicy({
    policyName: 'read-roles',
    document: allowDocument('ram:GetRole'),
    description: '',
  });
  await ramA.attachPolicyToRole({ policyName: 'read-roles', policyType: 'Custom' }, 'orders-bus-publisher');
  await ramA.createRole({
    roleName: 'untrusting',
    trustPolicy: trustAccount('3333333333333333'),
    description: '',
    maxSessionDuration: 3600,
  });

  const ramB = fixture.ports(rootB, { accountId: B }).ram;
  await ramB.createUser({ userName: 'publisher', displayName: 'publisher', comments: '' });
  await ramB.attachPolicyToUser(
    { policyName: 'AliyunSTSAssumeRoleAccess', policyType: 'System' },
    'publisher',
  );
  publisherKey = await ramB.createAccessKey('publisher');
});

afterAll(async () => {
  await fixture?.stop();
});

function publisherSource() {
  return {
    kind: 'accessKey' as const,
    accessKeyId: publisherKey.accessKeyId,
    accessKeySecret: publisherKey.accessKeySecret,
  };
}

describe('StsPort', () => {
  it('GetCallerIdentity names a RAM user and its account', async () => {
    const { sts } = fixture.ports({ ...publisherKey, accountId: B });
    const identity = await sts.getCallerIdentity();
    expect(identity).toMatchObject({
      accountId: B,
      identityType: 'RAMUser',
      arn: `acs:ram::${B}:user/publisher`,
    });
  });

  it('AssumeRole returns temporary credentials that act in the role account', async () => {
    const { sts } = fixture.ports({ ...publisherKey, accountId: B });
    const issued = await sts.assumeRole({
      roleArn: ROLE_ARN,
      roleSessionName: 'verify',
      durationSeconds: 900,
    });
    expect(issued.accessKeyId).toMatch(/^STS\./);
    expect(issued.securityToken).not.toBe('');
    const lifetime = new Date(issued.expiration).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(800_000);
    expect(lifetime).toBeLessThanOrEqual(901_000);

    const assumed = fixture.ports({ ...issued, accountId: A });
    expect(await assumed.sts.getCallerIdentity()).toMatchObject({
      accountId: A,
      identityType: 'AssumedRoleUser',
    });
    expect(await assumed.ram.getRole('orders-bus-publisher')).toMatchObject({ arn: ROLE_ARN });
    // The role may read roles, nothing else.
    await expect(assumed.ram.listUsers()).rejects.toMatchObject({ kind: 'Forbidden', code: 'NoPermission' });
  });

  it('AssumeRole on a role that does not trust the caller is Forbidden', async () => {
    const { sts } = fixture.ports({ ...publisherKey, accountId: B });
    await expect(
      sts.assumeRole({
        roleArn: `acs:ram::${A}:role/untrusting`,
        roleSessionName: 'verify',
        durationSeconds: 900,
      }),
    ).rejects.toMatchObject({
      kind: 'Forbidden',
      details: { action: 'AssumeRole' },
    });
  });
});

describe('resolveCredentials with an AssumeRole hop over the emulator', () => {
  it('acts as the role, verifies the account and reuses the session', async () => {
    const hopCalls = callRecorder();
    const credentials = resolveCredentials({
      source: publisherSource(),
      assumeRole: { roleArn: ROLE_ARN, roleSessionName: 'operator', durationSeconds: 900 },
      endpoints: fixture.endpoints,
      call: { accountId: B, observer: hopCalls },
    });
    expect(credentials.description).toContain(ROLE_ARN);
    expect(credentials.description).not.toContain(publisherKey.accessKeySecret);

    const ports = await openAccount({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    expect(await ports.ram.getRole('orders-bus-publisher')).toMatchObject({ arn: ROLE_ARN });
    expect(await ports.sts.getCallerIdentity()).toMatchObject({
      accountId: A,
      identityType: 'AssumedRoleUser',
    });
    expect(hopCalls.calls).toEqual([{ accountId: B, action: 'AssumeRole', kind: 'read' }]);
  });

  it('refreshes the session before it expires', async () => {
    const hopCalls = callRecorder();
    let now = new Date();
    const credentials = resolveCredentials({
      source: publisherSource(),
      assumeRole: { roleArn: ROLE_ARN, durationSeconds: 900 },
      endpoints: fixture.endpoints,
      call: { accountId: B, observer: hopCalls },
      clock: () => now,
    });
    const first = await credentials.getCredentials();
    now = new Date(now.getTime() + 9 * 60_000);
    expect((await credentials.getCredentials()).accessKeyId).toBe(first.accessKeyId);
    now = new Date(now.getTime() + 2 * 60_000); // 11 minutes in: within 5 minutes of expiry
    const second = await credentials.getCredentials();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(hopCalls.calls.map((c) => c.action)).toEqual(['AssumeRole', 'AssumeRole']);
    const { sts } = createAccountPorts({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    expect((await sts.getCallerIdentity()).accountId).toBe(A);
  });

  it('a failing hop surfaces as a Forbidden CloudError from the call that needed it', async () => {
    const credentials = resolveCredentials({
      source: publisherSource(),
      assumeRole: { roleArn: `acs:ram::${A}:role/untrusting` },
      endpoints: fixture.endpoints,
    });
    const { ram } = createAccountPorts({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    const error = await ram.getRole('orders-bus-publisher').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Forbidden', details: { action: 'AssumeRole' } });
    expect(String((error as Error).message)).not.toContain(publisherKey.accessKeySecret);
  });
});

describe('verifyAccount', () => {
  it('refuses credentials of another account with CredentialsAccountMismatch', async () => {
    const credentials = resolveCredentials({ source: publisherSource(), endpoints: fixture.endpoints });
    const error = await openAccount({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'Forbidden', code: 'CredentialsAccountMismatch' });
    expect((error as Error).message).toContain(B);
    expect((error as Error).message).not.toContain(publisherKey.accessKeySecret);
  });
});

describe('the default chain of @alicloud/credentials, fed an environment', () => {
  it('signs with environment AccessKeys', async () => {
    const credentials = resolveCredentials({
      source: {
        kind: 'defaultChain',
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: rootA.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: rootA.accessKeySecret,
        },
      },
      endpoints: fixture.endpoints,
    });
    const ports = await openAccount({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    expect(await ports.sts.getCallerIdentity()).toMatchObject({ accountId: A, identityType: 'Account' });
  });

  it('signs with an environment STS token', async () => {
    const { sts } = fixture.ports({ ...publisherKey, accountId: B });
    const issued = await sts.assumeRole({ roleArn: ROLE_ARN, roleSessionName: 'env', durationSeconds: 900 });
    const credentials = resolveCredentials({
      source: {
        kind: 'defaultChain',
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: issued.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: issued.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: issued.securityToken,
        },
      },
      endpoints: fixture.endpoints,
    });
    const ports = createAccountPorts({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    expect(await ports.sts.getCallerIdentity()).toMatchObject({
      accountId: A,
      identityType: 'AssumedRoleUser',
    });
  });

  it('reports a wrong environment secret as a Forbidden signature error', async () => {
    const credentials = resolveCredentials({
      source: {
        kind: 'defaultChain',
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: rootA.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret',
        },
      },
      endpoints: fixture.endpoints,
    });
    const { sts } = createAccountPorts({
      accountId: A,
      credentials,
      endpoints: fixture.endpoints,
      limiter: UNLIMITED,
    });
    await expect(sts.getCallerIdentity()).rejects.toMatchObject({
      kind: 'Forbidden',
      code: 'SignatureDoesNotMatch',
    });
  });
});
