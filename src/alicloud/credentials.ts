/**
 * Resolves the identity the operator acts as in one account: a base identity (an explicit AccessKey, or
 * the default chain of `@alicloud/credentials`), then optionally an AssumeRole hop made with the STS SDK
 * (whose endpoint and protocol are configurable, unlike `@alicloud/credentials`' own HTTPS-only
 * `ram_role_arn` provider, so the hop also works against the local emulator).
 *
 * Nothing here reads `process.env`: the default chain is fed from the `env` the caller passes in.
 */
import CredentialModule, { Config as SdkCredentialConfig } from '@alicloud/credentials';
import { AssumedRoleProvider } from './assumed-role-provider.js';
import { UNLIMITED } from './rate-limiter.js';
import { cjsDefault, createStsClient, stsEndpoint, type CloudEndpoints } from './clients.js';
import type { CallContext } from './call.js';
import type {
  AccessCredentials,
  AssumeRoleHop,
  CredentialSource,
  CredentialsProvider,
} from './credentials-types.js';
import { CredentialsAccountMismatchError, CredentialsUnavailableError } from './errors.js';
import type { StsPort } from './ports.js';
import { recognizedFailure, redactQueries } from './sdk-errors.js';
import { createStsPort } from './sts-port.js';

const SdkCredential = cjsDefault(CredentialModule);

export interface ResolveCredentialsOptions {
  source: CredentialSource;
  assumeRole?: AssumeRoleHop;
  /** Where the AssumeRole hop (and RRSA's OIDC exchange) goes. */
  endpoints: CloudEndpoints;
  /** Limiter and observer for the hop's AssumeRole call; its accountId labels the call. */
  call?: Partial<CallContext>;
  clock?: () => Date;
  refreshMarginMs?: number;
}

/** A short, non-secret label for an AccessKey id. */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-3)}`;
}

export function staticCredentials(credentials: AccessCredentials, description?: string): CredentialsProvider {
  const frozen = Object.freeze({ ...credentials });
  return {
    description: description ?? `AccessKey ${maskAccessKeyId(credentials.accessKeyId)}`,
    getCredentials: () => Promise.resolve(frozen),
  };
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/**
 * The `@alicloud/credentials` configuration the default chain picks for `env`, in the chain's order.
 * Exported for tests.
 */
export function defaultChainConfig(
  env: Readonly<Record<string, string | undefined>>,
  endpoints: CloudEndpoints,
): { config: SdkCredentialConfig; description: string } {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (accessKeyId && accessKeySecret) {
    const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN;
    return {
      config: new SdkCredentialConfig(
        securityToken
          ? { type: 'sts', accessKeyId, accessKeySecret, securityToken }
          : { type: 'access_key', accessKeyId, accessKeySecret },
      ),
      description: `environment AccessKey ${maskAccessKeyId(accessKeyId)}`,
    };
  }
  const roleArn = env.ALIBABA_CLOUD_ROLE_ARN;
  const oidcProviderArn = env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN;
  const oidcTokenFilePath = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE;
  if (roleArn && oidcProviderArn && oidcTokenFilePath) {
    const region = env.ALIBABA_CLOUD_STS_REGION;
    const vpc = isTrue(env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED);
    const endpoint =
      endpoints.sts ?? (region ? `sts${vpc ? '-vpc' : ''}.${region}.aliyuncs.com` : stsEndpoint(endpoints));
    return {
      config: new SdkCredentialConfig({
        type: 'oidc_role_arn',
        roleArn,
        oidcProviderArn,
        oidcTokenFilePath,
        roleSessionName: env.ALIBABA_CLOUD_ROLE_SESSION_NAME ?? 'ram-delegation-operator',
        stsEndpoint: endpoint,
      }),
      description: `RRSA role ${roleArn}`,
    };
  }
  if (isTrue(env.ALIBABA_CLOUD_ECS_METADATA_DISABLED)) {
    throw new CredentialsUnavailableError(
      'No credentials: no AccessKey or RRSA variables, and the ECS metadata service is disabled',
    );
  }
  const roleName = env.ALIBABA_CLOUD_ECS_METADATA;
  return {
    config: new SdkCredentialConfig({
      type: 'ecs_ram_role',
      ...(roleName ? { roleName } : {}),
      disableIMDSv1: isTrue(env.ALIBABA_CLOUD_IMDSV1_DISABLED),
    }),
    description: `ECS RAM role${roleName ? ` ${roleName}` : ''}`,
  };
}

/** The default chain as a provider; `@alicloud/credentials` caches and refreshes what it fetches itself. */
export function defaultChainCredentials(
  env: Readonly<Record<string, string | undefined>>,
  endpoints: CloudEndpoints,
): CredentialsProvider {
  const { config, description } = defaultChainConfig(env, endpoints);
  const credential = new SdkCredential(config);
  return {
    description,
    async getCredentials() {
      let model;
      try {
        model = await credential.getCredential();
      } catch (error) {
        // A network failure or a service's transient answer is retried; anything else is a setup problem.
        const failure = recognizedFailure(error, 'GetCredentials');
        if (failure?.retryable) throw failure;
        // The library's messages name the provider and what is missing, never a secret.
        const reason = redactQueries(error instanceof Error ? error.message : String(error));
        throw new CredentialsUnavailableError(`Cannot obtain credentials from ${description}: ${reason}`);
      }
      if (!model.accessKeyId || !model.accessKeySecret) {
        throw new CredentialsUnavailableError(`${description} returned no AccessKey`);
      }
      return {
        accessKeyId: model.accessKeyId,
        accessKeySecret: model.accessKeySecret,
        ...(model.securityToken ? { securityToken: model.securityToken } : {}),
      };
    },
  };
}

function baseProvider(options: ResolveCredentialsOptions): CredentialsProvider {
  const { source } = options;
  if (source.kind === 'accessKey') {
    return staticCredentials({
      accessKeyId: source.accessKeyId,
      accessKeySecret: source.accessKeySecret,
      ...(source.securityToken ? { securityToken: source.securityToken } : {}),
    });
  }
  return defaultChainCredentials(source.env ?? {}, options.endpoints);
}

/** Builds the provider for an identity: the base identity, then the AssumeRole hop when one is asked for. */
export function resolveCredentials(options: ResolveCredentialsOptions): CredentialsProvider {
  const base = baseProvider(options);
  const hop = options.assumeRole;
  if (!hop) return base;
  const sts = createStsPort(createStsClient(options.endpoints, base), {
    accountId: options.call?.accountId ?? '',
    limiter: options.call?.limiter ?? UNLIMITED,
    ...(options.call?.observer ? { observer: options.call.observer } : {}),
    ...(options.call?.throttleRetry ? { throttleRetry: options.call.throttleRetry } : {}),
    ...(options.call?.signal ? { signal: options.call.signal } : {}),
  });
  return new AssumedRoleProvider({
    description: `${hop.roleArn} assumed by ${base.description}`,
    assume: () =>
      sts.assumeRole({
        roleArn: hop.roleArn,
        roleSessionName: hop.roleSessionName ?? 'ram-delegation-operator',
        durationSeconds: hop.durationSeconds ?? 3600,
      }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
  });
}

/**
 * Checks that the credentials act in the declared account: GetCallerIdentity must return it, or this
 * throws a {@link CredentialsAccountMismatchError} and the delegation is Stalled with
 * `CredentialsAccountMismatch` (a Secret for the wrong account would otherwise create roles and users
 * where nobody expects them).
 */
export async function verifyAccount(sts: StsPort, declaredAccountId: string): Promise<void> {
  const identity = await sts.getCallerIdentity();
  if (identity.accountId !== declaredAccountId) {
    throw new CredentialsAccountMismatchError(declaredAccountId, identity.accountId, identity.arn);
  }
}
