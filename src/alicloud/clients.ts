/**
 * Builds the official SDK clients (`@alicloud/ram20150501`, `@alicloud/sts20150401`) for one identity.
 * Endpoints are configurable so the same code talks to Alibaba Cloud (HTTPS, the defaults) or to the
 * local emulator (`127.0.0.1:<port>` over plain HTTP).
 *
 * The clients never see a fixed AccessKey: they sign every request with whatever the identity's
 * {@link CredentialsProvider} returns at that moment, so temporary credentials refresh underneath them.
 */
import RamModule from '@alicloud/ram20150501';
import StsModule from '@alicloud/sts20150401';
import CredentialModule from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { CredentialsProvider } from './credentials-types.js';
import { releaseSdkReadTimers } from './sdk-read-timer.js';

/**
 * The class a CommonJS SDK package exports as `exports.default`. Node's ESM loader (and tsx) hand a
 * default import the whole `module.exports`, Vite/vitest hand it `exports.default` itself: accept both.
 */
export function cjsDefault<T>(module: { default: T }): T {
  const inner = (module as { default?: T }).default;
  return inner ?? (module as unknown as T);
}

export const RamClient = cjsDefault(RamModule);
export type RamClient = InstanceType<typeof RamModule.default>;
export const StsClient = cjsDefault(StsModule);
export type StsClient = InstanceType<typeof StsModule.default>;
const SdkCredential = cjsDefault(CredentialModule);

export interface CloudEndpoints {
  /** `host[:port]` of RAM; default `ram.aliyuncs.com`. */
  ram?: string;
  /**
   * `host[:port]` of STS. Default: what the official SDK's endpoint map gives for `regionId` (most regions
   * `sts.<regionId>.aliyuncs.com`, some, such as ap-south-1 or cn-wuhan, the central `sts.aliyuncs.com`);
   * `sts.aliyuncs.com` without a region.
   */
  sts?: string;
  /** Default `https`; `http` only for the local emulator. */
  protocol?: 'https' | 'http';
  regionId?: string;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** Default 15 s. */
  readTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_READ_TIMEOUT_MS = 15_000;

function ramEndpoint(endpoints: CloudEndpoints): string {
  return endpoints.ram ?? 'ram.aliyuncs.com';
}

/**
 * The STS endpoint the clients use: the configured one, else the one the official SDK chooses for the
 * region from its own endpoint map (read from a client built for that region; no request is made).
 */
export function stsEndpoint(endpoints: CloudEndpoints): string {
  if (endpoints.sts) return endpoints.sts;
  if (!endpoints.regionId) return 'sts.aliyuncs.com';
  const probe = new StsClient(
    new $OpenApiUtil.Config({
      regionId: endpoints.regionId,
      accessKeyId: 'unused',
      accessKeySecret: 'unused',
    }),
  );
  return clientEndpoint(probe);
}

/** Adapts our provider to the `@alicloud/credentials` object the SDK clients call before each request. */
function sdkCredential(provider: CredentialsProvider): InstanceType<typeof SdkCredential> {
  return new SdkCredential(null, {
    getProviderName: () => 'ram-delegation',
    getCredentials: async () => {
      const current = await provider.getCredentials();
      return {
        accessKeyId: current.accessKeyId,
        accessKeySecret: current.accessKeySecret,
        securityToken: current.securityToken ?? '',
        providerName: 'ram-delegation',
      };
    },
  });
}

function sdkConfig(
  endpoint: string,
  endpoints: CloudEndpoints,
  provider: CredentialsProvider,
): $OpenApiUtil.Config {
  releaseSdkReadTimers();
  return new $OpenApiUtil.Config({
    credential: sdkCredential(provider),
    endpoint,
    protocol: endpoints.protocol ?? 'https',
    regionId: endpoints.regionId ?? 'cn-hangzhou',
    connectTimeout: endpoints.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    readTimeout: endpoints.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
  });
}

export function createRamClient(endpoints: CloudEndpoints, provider: CredentialsProvider): RamClient {
  return new RamClient(sdkConfig(ramEndpoint(endpoints), endpoints, provider));
}

export function createStsClient(endpoints: CloudEndpoints, provider: CredentialsProvider): StsClient {
  return new StsClient(sdkConfig(stsEndpoint(endpoints), endpoints, provider));
}

/** The endpoint a client sends its requests to, as the SDK resolved it. */
export function clientEndpoint(client: RamClient | StsClient): string {
  return (client as unknown as { _endpoint: string })._endpoint;
}
