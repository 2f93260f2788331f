import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type CallObserver,
  type CloudEndpoints,
} from '../../src/alicloud/index.js';
import type { AccountPorts } from '../../src/delegation/context.js';
import {
  startEmulator,
  type ModelFaults,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '@ram-delegation/alicloud-emulator';
import { adminRequest, createAccount, type RootKey } from '@ram-delegation/alicloud-emulator';

import { AUTHORIZED_ACCOUNT, OWNER_ACCOUNT } from './gen.js';

/** The seed scenario's accounts: A owns the resource, B is authorized. */
export { AUTHORIZED_ACCOUNT, OWNER_ACCOUNT };

export type TestAccount = RootKey;

/** A running emulator with accounts A and B (and A's `orders` bus), for tests that cross the wire. */
export interface TestCloud {
  emulator: RunningEmulator;
  url: string;
  endpoints: CloudEndpoints;
  owner: TestAccount;
  authorized: TestAccount;
  /** RAM and STS ports for an account's root key, through the official SDKs. */
  ports(account: TestAccount, observer?: CallObserver): AccountPorts;
  /** Calls the emulator's admin API; throws on a non-2xx answer. */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  /** Sets fault settings (`PUT /_emulator/faults`), e.g. RAM's eventual consistency. */
  faults(settings: Partial<ModelFaults> & Record<string, number>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A random source for the emulator whose draws all lie in [0.5, 1): every lag drawn from it is at least
 * half its setting, so a test can rely on RAM lagging; ids stay unique enough.
 */
export const atLeastHalf = (): number => 0.5 + Math.random() / 2;

export async function startTestCloud(
  options: Pick<StartEmulatorOptions, 'random' | 'clock'> = {},
): Promise<TestCloud> {
  const emulator = await startEmulator({ port: 0, ...options });
  const url = emulator.url;
  const admin = (method: string, path: string, body?: unknown): Promise<any> =>
    adminRequest(url, method, path, body);
  const owner = await createAccount(url, OWNER_ACCOUNT, 'enterprise-a');
  const authorized = await createAccount(url, AUTHORIZED_ACCOUNT, 'enterprise-b');
  await admin('POST', `/_emulator/accounts/${OWNER_ACCOUNT}/eventbuses`, {
    name: 'orders',
    region: 'cn-hangzhou',
  });
  const endpoints: CloudEndpoints = {
    ram: url.replace('http://', ''),
    sts: url.replace('http://', ''),
    protocol: 'http',
  };
  return {
    emulator,
    url,
    endpoints,
    owner,
    authorized,
    admin,
    faults: async (settings) => void (await admin('PUT', '/_emulator/faults', settings)),
    ports: (account, observer) =>
      createAccountPorts({
        accountId: account.accountId,
        credentials: staticCredentials({
          accessKeyId: account.accessKeyId,
          accessKeySecret: account.accessKeySecret,
        }),
        endpoints,
        limiter: UNLIMITED,
        ...(observer ? { observer } : {}),
      }),
    stop: () => emulator.stop(),
  };
}

/** Counts cloud calls by kind and action; `crashAfterWrites` throws right after the n-th write succeeds. */
export class CallCounter implements CallObserver {
  reads = 0;
  writes = 0;
  readonly actions: string[] = [];
  crashAfterWrites: number | undefined;

  afterCall(call: { action: string; kind: 'read' | 'write'; errorCode?: string }): void {
    this.actions.push(call.action);
    if (call.kind === 'read') this.reads += 1;
    else this.writes += 1;
    if (
      call.kind === 'write' &&
      call.errorCode === undefined &&
      this.crashAfterWrites !== undefined &&
      this.writes >= this.crashAfterWrites
    ) {
      this.crashAfterWrites = undefined;
      throw new SimulatedCrash(`crash after write #${this.writes} (${call.action})`);
    }
  }

  reset(): void {
    this.reads = 0;
    this.writes = 0;
    this.actions.length = 0;
  }

  writeActions(): string[] {
    return this.actions.filter((a) => !/^(Get|List)/.test(a));
  }
}

/** Thrown by {@link CallCounter} to stand for the process dying right after a write took effect. */
export class SimulatedCrash extends Error {}

/** Whether an emulator call-counter key (`ram:CreateRole`, `sts:AssumeRole`) names a write. */
export function isWriteCall(call: string): boolean {
  return /:(Create|Delete|Update|Attach|Detach|Tag|Untag|Set|Clear|Add|Remove|Bind|Unbind|Change)/.test(call);
}
