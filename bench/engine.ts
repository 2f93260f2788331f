/**
 * Cloud calls the engine makes for one delegation (the seed scenario: one custom policy, a Programmatic
 * and a Console user, the scoped grant): a fresh delegation, a no-op pass, a drift repair and a revoke,
 * counted by read and write through the ports against the emulator. Prints one JSON document.
 * Usage: tsx bench/engine.ts
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type CallObserver,
} from '../src/alicloud/index.js';
import { parseSpec } from '../src/api/parse.js';
import type { DelegationInput, IssuedCredential } from '../src/delegation/context.js';
import { reconcileDelegation, revokeDelegation } from '../src/delegation/engine.js';
import { ownershipOf } from '../src/delegation/ownership.js';
import { generatePassword } from '../src/delegation/password.js';
import { startEmulator } from '@ram-delegation/alicloud-emulator';

class Counter implements CallObserver {
  reads = 0;
  writes = 0;
  readonly byAction: Record<string, number> = {};
  afterCall(call: { action: string; kind: 'read' | 'write' }): void {
    if (call.kind === 'read') this.reads++;
    else this.writes++;
    this.byAction[call.action] = (this.byAction[call.action] ?? 0) + 1;
  }
}

const manifest = parse(
  readFileSync(new URL('../examples/eventbridge-publisher.yaml', import.meta.url), 'utf8'),
) as { spec: unknown };
const parsed = parseSpec(manifest.spec);
if (!parsed.ok) throw new Error('the example does not parse');
const spec = parsed.value;

const emulator = await startEmulator({ port: 0 });
const admin = async (path: string, body: unknown) =>
  (await (
    await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    })
  ).json()) as {
    accessKeyId: string;
    accessKeySecret: string;
  };
const a = await admin('/_emulator/accounts', { accountId: spec.owner.accountId });
const b = await admin('/_emulator/accounts', { accountId: spec.authorized.accountId });
const endpoint = emulator.url.replace('http://', '');
const ports = (
  accountId: string,
  key: { accessKeyId: string; accessKeySecret: string },
  observer: CallObserver,
) =>
  createAccountPorts({
    accountId,
    credentials: staticCredentials(key),
    endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
    limiter: UNLIMITED,
    observer,
  });

const identity = { cluster: 'bench', namespace: 'default', name: 'orders-bus-publisher' };
const stored = { accessKeyIds: new Map<string, string>(), passwordsStored: new Set<string>() };
const options = {
  allowBroadPolicies: false,
  concurrency: 4,
  generatePassword: () => generatePassword(),
  clock: () => new Date(),
};
const input = (observer: CallObserver, correctionsAreDrift = false): DelegationInput => ({
  identity,
  ownership: ownershipOf(identity),
  spec,
  adopt: false,
  correctionsAreDrift,
  owner: ports(spec.owner.accountId, a, observer),
  authorized: ports(spec.authorized.accountId, b, observer),
  stored,
});
const store = (issued: readonly IssuedCredential[]) => {
  for (const c of issued) {
    if (c.kind === 'AccessKey') stored.accessKeyIds.set(c.userName, c.accessKeyId);
    else stored.passwordsStored.add(c.userName);
  }
};

async function measure(run: (observer: Counter) => Promise<void>) {
  const counter = new Counter();
  const started = performance.now();
  await run(counter);
  return {
    reads: counter.reads,
    writes: counter.writes,
    ms: Math.round(performance.now() - started),
    byAction: counter.byAction,
  };
}

const fresh = await measure(async (c) =>
  store((await reconcileDelegation(input(c), options)).authorized?.issued ?? []),
);
const noop = await measure(async (c) => void (await reconcileDelegation(input(c), options)));
await ports(spec.owner.accountId, a, new Counter()).ram.attachPolicyToRole(
  { policyName: 'AdministratorAccess', policyType: 'System' },
  spec.role.name,
);
const drift = await measure(async (c) => void (await reconcileDelegation(input(c, true), options)));
const revoke = await measure(async (c) => void (await revokeDelegation(input(c), options)));
await emulator.stop();

console.log(
  JSON.stringify(
    {
      benchmark: 'engine cloud calls per delegation (seed scenario: 1 custom policy, 2 users, scoped grant)',
      node: process.version,
      fresh,
      noop,
      driftRepair: drift,
      revoke,
    },
    null,
    2,
  ),
);
