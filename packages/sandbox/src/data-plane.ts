/**
 * What Enterprise B's users do with a delegation, through the official SDKs only: obtain STS
 * credentials for A's role with an AccessKey (`@alicloud/sts20150401`), and publish to A's bus with
 * them (`@alicloud/eventbridge`). The demo, the end-to-end tests and the benchmarks prove access and
 * revocation with these calls.
 *
 * "Refused" is a precise word here: {@link isRefusal} is true only for a permission or token error. A
 * 5xx, a throttle or a dropped connection is not a refusal, so it can never pass for revocation.
 */
import EventBridgeModule, * as $EventBridge from '@alicloud/eventbridge';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import StsModule, * as $Sts from '@alicloud/sts20150401';

/** A CommonJS SDK's class: Node's ESM loader hands over `module.exports`, Vite its `default`. */
function sdkClass<T>(module: { default: T }): T {
  return (module as { default?: T }).default ?? (module as unknown as T);
}
const StsClient = sdkClass(StsModule);
const EventBridgeClient = sdkClass(EventBridgeModule);

/** Where the SDKs send requests: `host[:port]` and the protocol (the emulator speaks `http`). */
export interface CloudEndpoint {
  endpoint: string;
  protocol: 'http' | 'https';
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface StsCredentials extends AccessKey {
  securityToken: string;
  expiration: string;
}

/** `http://127.0.0.1:<port>` → `{endpoint: '127.0.0.1:<port>', protocol: 'http'}`. */
export function endpointOf(url: string): CloudEndpoint {
  const parsed = new URL(url);
  return { endpoint: parsed.host, protocol: parsed.protocol === 'https:' ? 'https' : 'http' };
}

/** STS credentials for `roleArn`, obtained with `key` (B's user's AccessKey). */
export async function assumeRole(
  target: CloudEndpoint,
  key: AccessKey,
  roleArn: string,
  options: { sessionName?: string; durationSeconds?: number } = {},
): Promise<StsCredentials> {
  const client = new StsClient(
    new $OpenApiUtil.Config({
      ...key,
      endpoint: target.endpoint,
      protocol: target.protocol,
      regionId: 'cn-hangzhou',
    }),
  );
  const response = await client.assumeRole(
    new $Sts.AssumeRoleRequest({
      roleArn,
      roleSessionName: options.sessionName ?? 'sandbox',
      durationSeconds: options.durationSeconds ?? 900,
    }),
  );
  const credentials = response.body?.credentials;
  if (!credentials?.accessKeyId || !credentials.accessKeySecret || !credentials.securityToken) {
    throw new Error('AssumeRole answered without credentials');
  }
  return {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    expiration: credentials.expiration ?? '',
  };
}

export interface PublishTarget extends CloudEndpoint {
  busName: string;
}

/** Publishes one CloudEvent with `credentials`; resolves with its id, or throws the SDK's error. */
export async function publishEvent(
  target: PublishTarget,
  credentials: AccessKey & { securityToken?: string },
  event: { id: string; source: string; type: string; data: unknown },
): Promise<string> {
  const client = new EventBridgeClient(
    new $EventBridge.Config({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
      endpoint: target.endpoint,
      protocol: target.protocol,
    }),
  );
  const response = await client.putEvents([
    new $EventBridge.CloudEvent({
      id: event.id,
      source: event.source,
      type: event.type,
      datacontenttype: 'application/json',
      data: Buffer.from(JSON.stringify(event.data)),
      extensions: { aliyuneventbusname: target.busName },
    }),
  ]);
  const entry = response.entryList?.[0];
  if ((response.failedEntryCount ?? 0) > 0 || !entry?.eventId) {
    throw Object.assign(new Error(entry?.errorMessage ?? 'the event was not accepted'), {
      code: entry?.errorCode ?? 'PutEventsFailed',
    });
  }
  return entry.eventId;
}

/** Service codes that mean "this identity may not": permission and credential/token errors. */
const REFUSAL_CODES = [
  'NoPermission',
  'AccessDenied',
  'Forbidden',
  'NotAuthorized',
  'InvalidSecurityToken.',
  'InvalidAccessKeyId.',
];

/** The service code (and HTTP status, when the SDK reports one) of an SDK error. */
export function errorCode(error: unknown): { code?: string; statusCode?: number } {
  if (typeof error !== 'object' || error === null) return {};
  const { code, statusCode, data } = error as { code?: unknown; statusCode?: unknown; data?: unknown };
  const status =
    typeof statusCode === 'number' ? statusCode : (data as { statusCode?: unknown } | undefined)?.statusCode;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof status === 'number' ? { statusCode: status } : {}),
  };
}

/**
 * True when `error` is the cloud saying no to this identity: a permission error (NoPermission,
 * AccessDenied, 403) or a credential/token error (InvalidSecurityToken.*, InvalidAccessKeyId.*). Never
 * for a 5xx, a throttle, a network error or anything without a service code.
 */
export function isRefusal(error: unknown): boolean {
  const { code, statusCode } = errorCode(error);
  if (code === undefined) return false;
  if (statusCode !== undefined && statusCode >= 500) return false;
  if (code.includes('Throttling')) return false;
  return REFUSAL_CODES.some((prefix) => code.startsWith(prefix)) || statusCode === 403;
}
