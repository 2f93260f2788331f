/**
 * AccessKey rotation against the emulator through the official SDK (issue #15): `after: 20s`,
 * `gracePeriod: 10s` on a clock the test moves. A second key, the Secret updated to it, the old key
 * deactivated one grace period later (then refused by RAM) and deleted one more later; the annotation
 * rotates at once. And crash safety: the operator killed right after each write of a rotation (nothing
 * after the write happens, not even storing the new key) converges with two keys at most, and the key
 * in the Secret works after every pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isCloudError } from '../../../src/alicloud/errors.js';
import { reconcileDelegation } from '../../../src/delegation/engine.js';
import {
  AUTHORIZED_ACCOUNT,
  CallCounter,
  SimulatedCrash,
  startTestCloud,
  type TestCloud,
} from '../../support/cloud.js';
import { CredentialStore, delegationInput, testEngineOptions } from '../../support/delegation.js';
import { aDelegation, withKeyRotation, withProgrammaticUser, withUsers } from '../../support/gen.js';

const USER = 'rotor';
const spec = aDelegation(withUsers(), withProgrammaticUser(USER), withKeyRotation(USER, '20s', '10s'));
const T0 = Date.now();

/** The emulator and the engine on one clock, `at` seconds after the start. */
class World {
  seconds = 0;
  readonly clock = () => new Date(T0 + this.seconds * 1000);
  readonly store = new CredentialStore();
  cloud!: TestCloud;

  async start(): Promise<void> {
    this.cloud = await startTestCloud({ clock: this.clock });
  }

  /** One pass; `crashAfter`: killed right after that write (its issued keys are never stored). */
  async pass(options: { crashAfter?: number; rotationRequest?: string } = {}): Promise<'ok' | 'crashed'> {
    const observer = new CallCounter();
    observer.crashAfterWrites = options.crashAfter;
    try {
      const outcome = await reconcileDelegation(
        delegationInput(this.cloud, spec, this.store, {
          observer,
          ...(options.rotationRequest ? { rotationRequest: options.rotationRequest } : {}),
        }),
        testEngineOptions({ clock: this.clock }),
      );
      this.store.store(outcome.authorized?.issued ?? []);
      this.writes += observer.writes;
      return 'ok';
    } catch (error) {
      if (!crashed(error)) throw error;
      this.writes += observer.writes;
      return 'crashed';
    }
  }

  writes = 0;

  keys() {
    return this.cloud.ports(this.cloud.authorized).ram.listAccessKeys(USER);
  }

  stored(): { accessKeyId: string; accessKeySecret: string } {
    const key = this.store.accessKeys.get(USER);
    if (!key) throw new Error('nothing stored');
    return key;
  }

  /** Whether RAM accepts a call signed with `key` (GetCallerIdentity). */
  async works(key: { accessKeyId: string; accessKeySecret: string }): Promise<true | string> {
    try {
      await this.cloud.ports({ accountId: AUTHORIZED_ACCOUNT, ...key }).sts.getCallerIdentity();
      return true;
    } catch (error) {
      if (isCloudError(error)) return error.code;
      throw error;
    }
  }

  /** Never more than two keys, and the Secret's key listed, Active and accepted. */
  async checkInvariants(when: string): Promise<void> {
    const keys = await this.keys();
    expect(keys.length, `${when}: keys ${keys.map((k) => k.accessKeyId).join(', ')}`).toBeLessThanOrEqual(2);
    const stored = this.stored();
    expect(keys.find((k) => k.accessKeyId === stored.accessKeyId)?.status, when).toBe('Active');
    expect(await this.works(stored), when).toBe(true);
  }
}

function crashed(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof SimulatedCrash) return true;
  return false;
}

let world: World;
afterEach(async () => {
  await world?.cloud.stop();
});

/** The seconds at which the timed passes come, as the operator's requeue-at would bring them. */
const TIMELINE = [20, 25, 30, 35, 40, 45, 50, 60, 62];

describe('AccessKey rotation (after 20s, grace 10s)', () => {
  it('rotates, stores the new key first, deactivates the old one after the grace period, deletes it after another', async () => {
    world = new World();
    await world.start();
    await world.pass();
    const first = world.stored();
    expect((await world.keys()).map((k) => k.accessKeyId)).toEqual([first.accessKeyId]);

    world.seconds = 19;
    await world.pass();
    expect(world.stored()).toEqual(first);

    world.seconds = 20;
    await world.pass();
    const second = world.stored();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect((await world.keys()).map((k) => [k.accessKeyId, k.status]).sort()).toEqual(
      [
        [first.accessKeyId, 'Active'],
        [second.accessKeyId, 'Active'],
      ].sort(),
    );
    expect(await world.works(first)).toBe(true);

    world.seconds = 30;
    await world.pass();
    expect((await world.keys()).find((k) => k.accessKeyId === first.accessKeyId)?.status).toBe('Inactive');
    expect(await world.works(first)).toBe('InvalidAccessKeyId.Inactive');
    expect(await world.works(second)).toBe(true);

    world.seconds = 40;
    await world.pass();
    const third = world.stored();
    const keys = await world.keys();
    expect(keys.map((k) => k.accessKeyId).sort()).toEqual([second.accessKeyId, third.accessKeyId].sort());
    expect(await world.works(first)).toBe('InvalidAccessKeyId.NotFound');
  });

  it('the rotate annotation rotates at once, once per value', async () => {
    world = new World();
    await world.start();
    await world.pass({ rotationRequest: 'r1' });
    const first = world.stored();
    // A key issued while the annotation is set answers it: no rotation right after creation.
    await world.pass({ rotationRequest: 'r1' });
    expect(world.stored()).toEqual(first);

    world.seconds = 2;
    await world.pass({ rotationRequest: 'r2' });
    const second = world.stored();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    world.seconds = 3;
    await world.pass({ rotationRequest: 'r2' });
    expect(world.stored()).toEqual(second);
    await world.checkInvariants('after the annotation');
  });

  it('counts the writes of the timeline (the crash points below)', async () => {
    world = new World();
    await world.start();
    await world.pass();
    world.writes = 0;
    for (const at of TIMELINE) {
      world.seconds = at;
      await world.pass();
    }
    // Rotations at 20, 40 and 60; deactivations at 30 and 50; deletions at 40 and 60.
    expect(world.writes).toBe(7);
  });

  it.each(Array.from({ length: 7 }, (_, i) => i + 1))(
    'killed right after write %i of the timeline: two keys at most, the Secret’s key always works',
    async (crashAt) => {
      world = new World();
      await world.start();
      await world.pass();
      const original = world.stored();
      world.writes = 0;
      let crashes = 0;
      for (const at of TIMELINE) {
        world.seconds = at;
        const crashAfter = crashes === 0 ? crashAt - world.writes : undefined;
        const result = await world.pass(crashAfter !== undefined && crashAfter > 0 ? { crashAfter } : {});
        if (result === 'crashed') {
          crashes++;
          await world.checkInvariants(`right after the crash at ${at}s`);
          await world.pass(); // the restarted operator's pass
        }
        await world.checkInvariants(`at ${at}s`);
      }
      expect(crashes).toBe(1);
      expect(world.stored().accessKeyId).not.toBe(original.accessKeyId);
      expect(await world.works(original)).not.toBe(true);
    },
  );
});
