/**
 * Cloud calls the engine makes for one delegation (the seed scenario: one custom policy, a Programmatic
 * and a Console user, the scoped grant): a fresh delegation, a no-op pass, a drift repair and a revoke,
 * counted by read and write through the ports against the emulator. Prints one JSON document.
 * Usage: tsx bench/engine.ts
 */
import { generatePassword } from '../src/delegation/password.js';
import { reconcileDelegation, revokeDelegation } from '../src/delegation/engine.js';
import { CallCounter, startTestCloud } from '../test/support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../test/support/delegation.js';
import { aDelegation } from '../test/support/gen.js';

const spec = aDelegation();
const cloud = await startTestCloud();
const store = new CredentialStore();
const options = testEngineOptions({ generatePassword: () => generatePassword() });

async function measure(run: (counter: CallCounter) => Promise<void>) {
  const counter = new CallCounter();
  const started = performance.now();
  await run(counter);
  const byAction: Record<string, number> = {};
  for (const action of counter.actions) byAction[action] = (byAction[action] ?? 0) + 1;
  return {
    reads: counter.reads,
    writes: counter.writes,
    ms: Math.round(performance.now() - started),
    byAction,
  };
}

const pass = async (observer: CallCounter, correctionsAreDrift = false) => {
  const input = delegationInput(cloud, spec, store, { observer, correctionsAreDrift });
  store.store((await reconcileDelegation(input, options)).authorized?.issued ?? []);
};

const fresh = await measure((c) => pass(c));
const noop = await measure((c) => pass(c));
await cloud
  .ports(cloud.owner)
  .ram.attachPolicyToRole({ policyName: 'AdministratorAccess', policyType: 'System' }, spec.role.name);
const drift = await measure((c) => pass(c, true));
const revoke = await measure(
  async (c) => void (await revokeDelegation(delegationInput(cloud, spec, store, { observer: c }), options)),
);
await cloud.stop();

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
