/**
 * The cloud half of the sandbox: the Alibaba Cloud emulator with the seed scenario's two companies and
 * A's event bus. The sandbox puts it next to its own Kubernetes API server; `npm run test:k3s` next to
 * a real k3s.
 */
import { startEmulator, type RunningEmulator } from '@ram-delegation/alicloud-emulator';

/** The seed scenario's two companies and A's event bus (README, examples/). */
export const SANDBOX_ACCOUNTS = {
  owner: { accountId: '1111111111111111', alias: 'enterprise-a', credentialsSecret: 'enterprise-a' },
  authorized: { accountId: '2222222222222222', alias: 'enterprise-b', credentialsSecret: 'enterprise-b' },
} as const;
export const SANDBOX_EVENT_BUS = {
  name: 'orders',
  region: 'cn-hangzhou',
  accountId: SANDBOX_ACCOUNTS.owner.accountId,
} as const;

export interface SandboxAccount {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  credentialsSecret: string;
}

export interface SandboxCloud {
  emulator: RunningEmulator;
  /** Each account with its root AccessKey and the name of the Secret that holds it. */
  accounts: Record<'owner' | 'authorized', SandboxAccount>;
}

async function admin(url: string, path: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`emulator admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

/** Starts the emulator with accounts A and B (each with a root AccessKey) and A's `orders` bus. */
export async function startSandboxCloud(options: { port?: number } = {}): Promise<SandboxCloud> {
  const emulator = await startEmulator({ port: options.port ?? 0 });
  try {
    const accounts = {} as SandboxCloud['accounts'];
    for (const side of ['owner', 'authorized'] as const) {
      const { accountId, alias, credentialsSecret } = SANDBOX_ACCOUNTS[side];
      const key = await admin(emulator.url, '/_emulator/accounts', { accountId, alias });
      accounts[side] = {
        accountId,
        accessKeyId: key.accessKeyId ?? '',
        accessKeySecret: key.accessKeySecret ?? '',
        credentialsSecret,
      };
    }
    await admin(emulator.url, `/_emulator/accounts/${SANDBOX_EVENT_BUS.accountId}/eventbuses`, {
      name: SANDBOX_EVENT_BUS.name,
      region: SANDBOX_EVENT_BUS.region,
    });
    return { emulator, accounts };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}
