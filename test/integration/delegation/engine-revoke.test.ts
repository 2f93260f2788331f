/** The delegation engine against the emulator: revocation, and crash safety of apply and revoke. */
import { isRefusal } from '@ram-delegation/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcileDelegation, revokeDelegation } from '../../../src/delegation/engine.js';
import { CallCounter } from '../../support/cloud.js';
import { CredentialStore, delegationInput } from '../../support/delegation.js';
import { ROLE_NAME as ROLE } from '../../support/gen.js';
import { EngineWorld, options, spec } from './engine-world.js';

const world = new EngineWorld();
beforeAll(() => world.start());
afterAll(() => world.stop());

describe('revoke', () => {
  beforeEach(() => world.reset());

  it('removes every managed entity; STS credentials issued before are refused right after the detach step', async () => {
    const store = new CredentialStore();
    await world.converge(store);
    const credentials = await world.assumeAsPublisher(store);
    await expect(world.publishWith(credentials)).resolves.toBeTruthy();

    // Stop revocation right after its detach step: the token must already be worthless.
    const attached = (await world.cloud.ports(world.cloud.owner).ram.listPoliciesForRole(ROLE)).length;
    const counter = new CallCounter();
    counter.crashAfterWrites = attached;
    const input = delegationInput(world.cloud, spec, store, { observer: counter });
    await expect(revokeDelegation(input, options)).rejects.toThrow();
    const refused = await world.publishWith(credentials).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isRefusal(refused), String(refused)).toBe(true);

    const outcome = await revokeDelegation(delegationInput(world.cloud, spec, store), options);
    expect(outcome.authorized).toBeDefined();
    expect(await world.managedLeftovers()).toEqual([]);
    await expect(world.assumeAsPublisher(store)).rejects.toThrow();
  });

  it('reports how long access outlived the request', async () => {
    const store = new CredentialStore();
    await world.converge(store);
    const outcome = await revokeDelegation(delegationInput(world.cloud, spec, store), options);
    expect(outcome.accessRevokedAfterMs).toBeGreaterThanOrEqual(0);
    expect(outcome.accessRevokedAfterMs).toBeLessThan(5_000);
    expect(await world.managedLeftovers()).toEqual([]);
    // A second revoke finds everything already gone and succeeds.
    await expect(revokeDelegation(delegationInput(world.cloud, spec, store), options)).resolves.toBeDefined();
  });
});

describe('crash safety', () => {
  it('converges to the clean result after a crash at every write of apply', async () => {
    await world.reset();
    const counter = new CallCounter();
    await world.pass(new CredentialStore(), counter);
    const totalWrites = counter.writes;
    const clean = await world.normalizedState();
    expect(totalWrites).toBeGreaterThan(5);

    for (let k = 1; k <= totalWrites; k++) {
      await world.reset();
      const store = new CredentialStore();
      const crashing = new CallCounter();
      crashing.crashAfterWrites = k;
      // The crash loses whatever the pass issued: the operator died before writing its Secrets.
      await expect(
        reconcileDelegation(delegationInput(world.cloud, spec, store, { observer: crashing }), options),
      ).rejects.toThrow(/crash after write/);
      await world.converge(store);
      expect(await world.normalizedState(), `crash after write ${k}`).toEqual(clean);
      const again = new CallCounter();
      await world.pass(store, again);
      expect(again.writes, `crash after write ${k}: ${again.writeActions().join(', ')}`).toBe(0);
    }
  }, 120_000);

  it('revokes completely after a crash at every write of revoke', async () => {
    await world.reset();
    const store = new CredentialStore();
    await world.converge(store);
    const counter = new CallCounter();
    await revokeDelegation(delegationInput(world.cloud, spec, store, { observer: counter }), options);
    const totalWrites = counter.writes;
    expect(totalWrites).toBeGreaterThan(5);

    for (let k = 1; k <= totalWrites; k++) {
      await world.reset();
      const s = new CredentialStore();
      await world.converge(s);
      const crashing = new CallCounter();
      crashing.crashAfterWrites = k;
      await expect(
        revokeDelegation(delegationInput(world.cloud, spec, s, { observer: crashing }), options),
      ).rejects.toThrow(/crash after write/);
      await revokeDelegation(delegationInput(world.cloud, spec, s), options);
      expect(await world.managedLeftovers(), `crash after write ${k}`).toEqual([]);
    }
  }, 120_000);
});
