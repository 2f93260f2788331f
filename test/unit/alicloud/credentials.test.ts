import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssumedRoleProvider } from '../../../src/alicloud/assumed-role-provider.js';
import {
  defaultChainConfig,
  defaultChainCredentials,
  maskAccessKeyId,
  resolveCredentials,
  staticCredentials,
  verifyAccount,
} from '../../../src/alicloud/credentials.js';
import {
  CloudError,
  CredentialsAccountMismatchError,
  CredentialsUnavailableError,
} from '../../../src/alicloud/errors.js';
import type { StsCredentials, StsPort } from '../../../src/alicloud/ports.js';

const MINUTE = 60_000;

/** An STS issuing numbered credentials valid for `lifetimeMs` from the fake clock's now. */
function issuer(clock: { now: Date }, lifetimeMs: number) {
  let issued = 0;
  const failures: Error[] = [];
  return {
    count: () => issued,
    failNext: (error: Error) => failures.push(error),
    assume: (): Promise<StsCredentials> => {
      const failure = failures.shift();
      if (failure) return Promise.reject(failure);
      issued++;
      return Promise.resolve({
        accessKeyId: `STS.key${issued}`,
        accessKeySecret: `secret${issued}`,
        securityToken: `token${issued}`,
        expiration: new Date(clock.now.getTime() + lifetimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    },
  };
}

/** A provider over {@link issuer}, on a fake clock that starts at 2026-11-23T10:00:00Z. */
function providerOver(lifetimeMs: number, options: { refreshMarginMs?: number } = {}) {
  const clock = { now: new Date('2026-11-23T10:00:00Z') };
  const sts = issuer(clock, lifetimeMs);
  const provider = new AssumedRoleProvider({
    assume: sts.assume,
    description: 'role',
    clock: () => clock.now,
    ...options,
  });
  return { clock, sts, provider };
}

describe('AssumedRoleProvider', () => {
  it('caches until 5 minutes before Expiration, then refreshes', async () => {
    const { clock, sts, provider } = providerOver(60 * MINUTE);

    const first = await provider.getCredentials();
    expect(first).toMatchObject({ accessKeyId: 'STS.key1', securityToken: 'token1' });
    expect(first.expiration?.toISOString()).toBe('2026-11-23T11:00:00.000Z');

    clock.now = new Date('2026-11-23T10:54:59Z');
    expect((await provider.getCredentials()).accessKeyId).toBe('STS.key1');
    expect(sts.count()).toBe(1);

    clock.now = new Date('2026-11-23T10:55:00Z');
    expect((await provider.getCredentials()).accessKeyId).toBe('STS.key2');
    expect(sts.count()).toBe(2);
  });

  it('honours a custom refresh margin', async () => {
    const { clock, sts, provider } = providerOver(15 * MINUTE, { refreshMarginMs: MINUTE });
    await provider.getCredentials();
    clock.now = new Date('2026-11-23T10:13:59Z');
    await provider.getCredentials();
    expect(sts.count()).toBe(1);
    clock.now = new Date('2026-11-23T10:14:00Z');
    await provider.getCredentials();
    expect(sts.count()).toBe(2);
  });

  it('shares one refresh among concurrent callers', async () => {
    const { sts, provider } = providerOver(60 * MINUTE);
    const results = await Promise.all([
      provider.getCredentials(),
      provider.getCredentials(),
      provider.getCredentials(),
    ]);
    expect(sts.count()).toBe(1);
    expect(new Set(results.map((r) => r.accessKeyId))).toEqual(new Set(['STS.key1']));
  });

  it('does not cache a failure: the next call tries again', async () => {
    const { sts, provider } = providerOver(60 * MINUTE);
    sts.failNext(new CloudError('Transient', 'ServiceUnavailable', 'down'));
    await expect(provider.getCredentials()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect((await provider.getCredentials()).accessKeyId).toBe('STS.key1');
  });

  it('keeps serving the old credentials only while they are fresh', async () => {
    const { clock, sts, provider } = providerOver(60 * MINUTE);
    await provider.getCredentials();
    clock.now = new Date('2026-11-23T10:58:00Z');
    sts.failNext(new CloudError('Transient', 'ServiceUnavailable', 'down'));
    // Stale (within the margin): a refresh is due and its failure is reported, not hidden.
    await expect(provider.getCredentials()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });
});

describe('defaultChainConfig', () => {
  const endpoints = { sts: '127.0.0.1:9', protocol: 'http' as const };

  it('picks environment AccessKeys first', () => {
    const { config, description } = defaultChainConfig(
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's3cr3t',
        ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/x',
      },
      endpoints,
    );
    expect(config).toMatchObject({
      type: 'access_key',
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 's3cr3t',
    });
    expect(description).not.toContain('s3cr3t');
  });

  it('uses an STS token from the environment', () => {
    const { config } = defaultChainConfig(
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.abc',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'tok',
      },
      endpoints,
    );
    expect(config).toMatchObject({ type: 'sts', securityToken: 'tok' });
  });

  it('picks RRSA when its three variables are set', () => {
    const { config } = defaultChainConfig(
      {
        ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1111111111111111:role/operator',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1111111111111111:oidc-provider/ack',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/tokens/oidc-token',
      },
      {},
    );
    expect(config).toMatchObject({
      type: 'oidc_role_arn',
      roleArn: 'acs:ram::1111111111111111:role/operator',
      oidcProviderArn: 'acs:ram::1111111111111111:oidc-provider/ack',
      oidcTokenFilePath: '/var/run/secrets/tokens/oidc-token',
      roleSessionName: 'ram-delegation-operator',
      stsEndpoint: 'sts.aliyuncs.com',
    });
  });

  it('uses the regional (VPC) STS endpoint for RRSA when asked', () => {
    const { config } = defaultChainConfig(
      {
        ALIBABA_CLOUD_ROLE_ARN: 'r',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'p',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: 'f',
        ALIBABA_CLOUD_STS_REGION: 'cn-hangzhou',
        ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true',
      },
      {},
    );
    expect(config.stsEndpoint).toBe('sts-vpc.cn-hangzhou.aliyuncs.com');
  });

  it('falls back to the ECS RAM role', () => {
    expect(defaultChainConfig({ ALIBABA_CLOUD_ECS_METADATA: 'operator-role' }, {}).config).toMatchObject({
      type: 'ecs_ram_role',
      roleName: 'operator-role',
    });
    expect(defaultChainConfig({}, {}).config).toMatchObject({ type: 'ecs_ram_role' });
  });

  it('fails as Forbidden when nothing is left', () => {
    expect(() => defaultChainConfig({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, {})).toThrow(
      CredentialsUnavailableError,
    );
    expect(() => defaultChainConfig({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, {})).toThrow(
      expect.objectContaining({ kind: 'Forbidden', code: 'CredentialsUnavailable' }),
    );
  });
});

describe('static credentials and labels', () => {
  it('masks AccessKey ids in descriptions and never includes the secret', async () => {
    expect(maskAccessKeyId('LTAI5tExampleKeyId')).toBe('LTAI****yId');
    expect(maskAccessKeyId('short')).toBe('****');
    const provider = staticCredentials({ accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'very-secret' });
    expect(provider.description).toBe('AccessKey LTAI****yId');
    expect(await provider.getCredentials()).toEqual({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'very-secret',
    });
  });

  it('an explicit AccessKey without a hop is used as is', async () => {
    const provider = resolveCredentials({
      source: {
        kind: 'accessKey',
        accessKeyId: 'LTAI5tExampleKeyId',
        accessKeySecret: 'x',
        securityToken: 'tok',
      },
      endpoints: {},
    });
    expect(await provider.getCredentials()).toEqual({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'x',
      securityToken: 'tok',
    });
  });
});

describe('verifyAccount', () => {
  function stsAnswering(accountId: string): StsPort {
    return {
      getCallerIdentity: () =>
        Promise.resolve({
          accountId,
          arn: `acs:ram::${accountId}:root`,
          identityType: 'Account',
          principalId: accountId,
        }),
      assumeRole: () => Promise.reject(new Error('not used')),
    };
  }

  it('accepts the declared account', async () => {
    await expect(
      verifyAccount(stsAnswering('1111111111111111'), '1111111111111111'),
    ).resolves.toBeUndefined();
  });

  it('refuses another account with a CredentialsAccountMismatchError', async () => {
    const refused = verifyAccount(stsAnswering('2222222222222222'), '1111111111111111');
    await expect(refused).rejects.toBeInstanceOf(CredentialsAccountMismatchError);
    await expect(refused).rejects.toMatchObject({
      kind: 'Forbidden',
      code: 'CredentialsAccountMismatch',
      declaredAccountId: '1111111111111111',
      actualAccountId: '2222222222222222',
    });
  });
});

describe('the default chain when the source fails', () => {
  const rrsa = (tokenFile: string) => ({
    ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1111111111111111:role/operator',
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1111111111111111:oidc-provider/ack',
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
  });

  it('a setup problem (no token file) is CredentialsUnavailable: no retry fixes it', async () => {
    const provider = defaultChainCredentials(rrsa('/nonexistent/oidc-token'), { sts: '127.0.0.1:1' });
    const error = await provider.getCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsUnavailableError);
    expect((error as Error).message).toContain('/nonexistent/oidc-token');
  });

  it('an unreachable STS is a retryable network failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'header.payload.signature');
    const provider = defaultChainCredentials(rrsa(tokenFile), { sts: '127.0.0.1:1' });
    const error = await provider.getCredentials().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(CredentialsUnavailableError);
    expect(error).toMatchObject({ kind: 'Transient', retryable: true });
  });
});
