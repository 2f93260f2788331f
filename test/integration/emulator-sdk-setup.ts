/**
 * Set-up for the emulator's SDK-level acceptance tests: a running emulator with the real cloud model,
 * its admin API over HTTP, and the official RAM, STS and EventBridge clients pointed at it.
 */
import RamModule, * as $Ram from '@alicloud/ram20150501';
import StsModule, * as $Sts from '@alicloud/sts20150401';
import EventBridgeModule, * as $EventBridge from '@alicloud/eventbridge';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { startEmulator, type RunningEmulator } from '../../src/sandbox/emulator/index.js';

export { $Ram, $Sts, $EventBridge };

/** The SDKs are CommonJS (`exports.default = Client`); Node and vitest disagree on what a default import is. */
function commonJsDefault<T>(imported: { default: T }): T {
  const inner = (imported as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : imported) as T;
}

const RamClient = commonJsDefault(RamModule);
const StsClient = commonJsDefault(StsModule);
const EventBridgeClient = commonJsDefault(EventBridgeModule);

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface SdkWorld {
  emulator: RunningEmulator;
  endpoint: string;
  admin(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  createAccount(accountId: string): Promise<Credentials>;
  ram(creds: Credentials): InstanceType<typeof RamClient>;
  sts(creds: Credentials): InstanceType<typeof StsClient>;
  eventBridge(creds: Credentials): InstanceType<typeof EventBridgeClient>;
}

export async function startSdkWorld(): Promise<SdkWorld> {
  const emulator = await startEmulator({ port: 0 });
  const endpoint = `127.0.0.1:${emulator.port}`;
  const config = (creds: Credentials) => new $OpenApiUtil.Config({ ...creds, endpoint, protocol: 'http' });
  const admin: SdkWorld['admin'] = async (method, path, body) => {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    emulator,
    endpoint,
    admin,
    async createAccount(accountId) {
      const { body } = await admin('POST', 'accounts', { accountId });
      return { accessKeyId: String(body.accessKeyId), accessKeySecret: String(body.accessKeySecret) };
    },
    ram: (creds) => new RamClient(config(creds)),
    sts: (creds) => new StsClient(config(creds)),
    eventBridge: (creds) =>
      new EventBridgeClient(new $EventBridge.Config({ ...creds, endpoint, protocol: 'http' })),
  };
}

/** A CloudEvent for `bus`, as an application would publish it. */
export function orderEvent(id: string, bus: string) {
  return new $EventBridge.CloudEvent({
    id,
    source: 'acs:test:orders',
    type: 'order.created',
    data: Buffer.from(JSON.stringify({ orderId: id })),
    extensions: { aliyuneventbusname: bus },
  });
}

export interface SdkError {
  code: string;
  statusCode: number;
  message: string;
  data?: Record<string, unknown>;
  accessDeniedDetail?: Record<string, unknown>;
}

/** Awaits a call that must fail and returns the SDK's error. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Calls RAM action `action` through the official client: `createRole` with `{roleName: ...}` becomes
 * `client.createRole(new $Ram.CreateRoleRequest({roleName: ...}))`.
 */
export type RamClient = ReturnType<SdkWorld['ram']>;
export function callRam(
  client: RamClient,
  action: string,
  fields: Record<string, unknown> = {},
): Promise<unknown> {
  const model = `${action[0]?.toUpperCase()}${action.slice(1)}Request`;
  const Request = ($Ram as unknown as Record<string, new (map: Record<string, unknown>) => unknown>)[model];
  const method = (client as unknown as Record<string, (request: unknown) => Promise<unknown>>)[action];
  if (!Request || !method) throw new Error(`no SDK call ${action}`);
  return method.call(client, new Request(fields));
}
