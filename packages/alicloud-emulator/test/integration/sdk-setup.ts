/**
 * Set-up for the emulator's SDK-level acceptance tests: a running emulator with the real cloud model,
 * its admin API over HTTP, and the official RAM, STS and EventBridge clients pointed at it.
 */
import * as $Ram from '@alicloud/ram20150501';
import * as $Sts from '@alicloud/sts20150401';
import * as $EventBridge from '@alicloud/eventbridge';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { adminCall, createAccount } from '../../src/admin-client.js';
import {
  eventBridgeClient,
  RamClient as RamSdkClient,
  sdkConfig,
  StsClient,
  type ClientCredentials,
} from './wire-clients.js';

export { $Ram, $Sts };

export type Credentials = ClientCredentials;

export interface SdkWorld {
  emulator: RunningEmulator;
  endpoint: string;
  admin(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  createAccount(accountId: string): Promise<Credentials>;
  ram(creds: Credentials): InstanceType<typeof RamSdkClient>;
  sts(creds: Credentials): InstanceType<typeof StsClient>;
  eventBridge(creds: Credentials): ReturnType<typeof eventBridgeClient>;
}

/**
 * A clock that stands still until a test moves it, starting at the real time (so that the SDKs'
 * signature timestamps stay within the emulator's 15-minute window).
 */
export function manualClock(startMs = Date.now()) {
  let nowMs = startMs;
  return {
    clock: () => new Date(nowMs),
    now: () => new Date(nowMs),
    advance(ms: number): void {
      nowMs += ms;
    },
  };
}

export async function startSdkWorld(
  options: { clock?: () => Date; random?: () => number } = {},
): Promise<SdkWorld> {
  const emulator = await startEmulator({ port: 0, ...options });
  const endpoint = `127.0.0.1:${emulator.port}`;
  const admin: SdkWorld['admin'] = (method, path, body) =>
    adminCall(emulator.url, method, `/_emulator/${path}`, body);
  return {
    emulator,
    endpoint,
    admin,
    async createAccount(accountId) {
      const { accessKeyId, accessKeySecret } = await createAccount(emulator.url, accountId);
      return { accessKeyId, accessKeySecret };
    },
    ram: (creds) => new RamSdkClient(sdkConfig(endpoint, creds)),
    sts: (creds) => new StsClient(sdkConfig(endpoint, creds)),
    eventBridge: (creds) => eventBridgeClient(endpoint, creds),
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
