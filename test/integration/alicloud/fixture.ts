/**
 * The local Alibaba Cloud emulator for the alicloud port tests: started on a free port, reached through
 * the official SDKs exactly as production reaches Alibaba Cloud (only the endpoint and protocol differ).
 */
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type AccountPortsOptions,
} from '../../../src/alicloud/index.js';
import type { CloudEndpoints } from '../../../src/alicloud/clients.js';
import type { CallKind, CallObserver } from '../../../src/alicloud/ports.js';
import { startEmulator, type RunningEmulator } from '@ram-delegation/alicloud-emulator';
import { adminRequest, createAccount, type RootKey } from '@ram-delegation/alicloud-emulator';

export type { RootKey };

export interface RecordedCall {
  accountId: string;
  action: string;
  kind: CallKind;
  errorCode?: string;
}

/** An observer that records every finished call. */
export function callRecorder(): CallObserver & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    afterCall: ({ accountId, action, kind, errorCode }) => {
      calls.push({ accountId, action, kind, ...(errorCode ? { errorCode } : {}) });
    },
  };
}

export class EmulatorFixture {
  private constructor(
    readonly emulator: RunningEmulator,
    readonly endpoints: CloudEndpoints,
  ) {}

  static async start(): Promise<EmulatorFixture> {
    const emulator = await startEmulator({ port: 0 });
    const host = `127.0.0.1:${emulator.port}`;
    return new EmulatorFixture(emulator, {
      ram: host,
      sts: host,
      protocol: 'http',
      connectTimeoutMs: 2000,
      readTimeoutMs: 5000,
    });
  }

  private admin(method: string, path: string, body: unknown): Promise<unknown> {
    return adminRequest(this.emulator.url, method, `/_emulator/${path}`, body);
  }

  createAccount(accountId: string): Promise<RootKey> {
    return createAccount(this.emulator.url, accountId);
  }

  async setFaults(faults: Record<string, number>): Promise<void> {
    await this.admin('PUT', 'faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.setFaults({
      latencyMs: 0,
      throttleRate: 0,
      errorRate: 0,
      qpsPerAccount: 0,
      throttleRetryAfterMs: 1000,
    });
  }

  /** Ports acting with `key` in `accountId` (no limiter unless given). */
  ports(
    key: { accountId?: string; accessKeyId: string; accessKeySecret: string; securityToken?: string },
    options: Partial<AccountPortsOptions> = {},
  ) {
    return createAccountPorts({
      accountId: key.accountId ?? '',
      credentials: staticCredentials({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        ...(key.securityToken ? { securityToken: key.securityToken } : {}),
      }),
      endpoints: this.endpoints,
      limiter: UNLIMITED,
      ...options,
    });
  }

  /** Creates account `accountId` and returns ports acting with its root key. */
  async rootPorts(accountId: string, options: Partial<AccountPortsOptions> = {}) {
    return this.ports(await this.createAccount(accountId), { accountId, ...options });
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

/** A trust policy letting `accountId`'s root decide who may assume the role. */
export function trustAccount(accountId: string): string {
  return JSON.stringify({
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
    ],
  });
}

export function allowDocument(action: string, resource = '*'): string {
  return JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: [action], Resource: [resource] }],
  });
}

/** Awaits work that must fail and returns what it threw. */
export async function caught(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
