/**
 * Extra account pairs (a resource owner A' and an authorized account B') for fleets larger than RAM's
 * quotas: 1,000 roles per account in A, 1,500 custom policies per account in B (each delegation puts
 * its scoped AssumeRole grant there). Each account is created in the emulator (admin API) with a
 * credentials Secret in the sandbox namespace.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { SandboxAccount, SandboxInfo } from '@ram-delegation/sandbox';
import type { AccountPair } from '../test/reliability/fleet.js';

/** Delegations per account pair, under both quotas. */
export const DELEGATIONS_PER_PAIR = 950;

async function addAccount(
  sandbox: SandboxInfo,
  core: CoreV1Api,
  accountId: string,
  name: string,
): Promise<SandboxAccount> {
  const response = await fetch(`${sandbox.emulatorUrl}/_emulator/accounts`, {
    method: 'POST',
    body: JSON.stringify({ accountId, alias: name }),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok)
    throw new Error(`create account ${accountId}: ${response.status} ${await response.text()}`);
  const key = (await response.json()) as { accessKeyId: string; accessKeySecret: string };
  await core.createNamespacedSecret({
    namespace: sandbox.namespace,
    body: {
      metadata: { name },
      type: 'Opaque',
      stringData: { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret },
    },
  });
  return {
    accountId,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    credentialsSecret: name,
  };
}

export async function addAccountPairs(sandbox: SandboxInfo, count: number): Promise<AccountPair[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(sandbox.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const pairs: AccountPair[] = [];
  for (let i = 1; i <= count; i++) {
    const owner = await addAccount(sandbox, core, `3${String(i).padStart(15, '0')}`, `bench-owner-${i}`);
    const authorized = await addAccount(
      sandbox,
      core,
      `4${String(i).padStart(15, '0')}`,
      `bench-authorized-${i}`,
    );
    pairs.push({ owner, authorized });
  }
  return pairs;
}
