import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered } from '../../../src/controller/timing.js';
import {
  DEFAULT_BACKOFF,
  WorkQueue,
  type PassLane,
  type WorkOutcome,
} from '../../../src/controller/work-queue.js';
import { ManualTimers, settle } from './manual-timers.js';

/** A promise the test resolves or rejects by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('backoffDelay', () => {
  const noJitter = () => 0;
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [9, 256_000],
    [10, 300_000],
    [50, 300_000],
  ])('attempt %i waits %i ms without jitter', (attempt, expected) => {
    expect(backoffDelay(attempt, DEFAULT_BACKOFF, noJitter)).toBe(expected);
  });

  it('jitter only shortens the delay, by at most the jitter fraction', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(3_200);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(3_600);
  });
});

describe('jittered', () => {
  it.each([
    [0, 540_000],
    [0.5, 600_000],
    [1, 660_000],
  ])('random %f spreads 600 s to %i ms (±10%%)', (random, expected) => {
    expect(jittered(600_000, 0.1, () => random)).toBe(expected);
  });
});

describe('WorkQueue', () => {
  function setup(
    workers: number,
    handler: (key: string, lane: PassLane) => Promise<WorkOutcome>,
    extra: Partial<ConstructorParameters<typeof WorkQueue>[0]> = {},
  ) {
    const timers = new ManualTimers();
    const depths: number[] = [];
    const retries: Array<[string, number, number]> = [];
    const queue = new WorkQueue({
      workers,
      handler,
      timers,
      random: () => 0,
      hooks: { onDepthChange: (d) => depths.push(d), onRetry: (k, a, ms) => retries.push([k, a, ms]) },
      ...extra,
    });
    return { queue, timers, depths, retries };
  }

  it('de-duplicates keys that are queued and waits for start()', async () => {
    const seen: string[] = [];
    const { queue, depths } = setup(2, async (key) => {
      seen.push(key);
    });
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(queue.depth).toBe(2);
    await settle();
    expect(seen).toEqual([]);
    queue.start();
    await settle();
    expect(seen).toEqual(['ns/a', 'ns/b']);
    expect(depths.at(-1)).toBe(0);
  });

  it('processes a key re-added during its pass once more afterwards, never concurrently', async () => {
    const gates = [deferred(), deferred()];
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const { queue } = setup(4, async () => {
      const gate = gates[calls++]!;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gate.promise;
      running--;
    });
    queue.start();
    queue.add('k');
    await settle();
    queue.add('k');
    queue.add('k');
    await settle();
    expect(calls).toBe(1);
    gates[0]!.resolve();
    await settle();
    expect(calls).toBe(2);
    gates[1]!.resolve();
    await settle();
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('reports a key scheduled while queued, running or waiting on a timer, and not once done', async () => {
    const gate = deferred<WorkOutcome>();
    let passes = 0;
    const { queue, timers } = setup(1, () => (passes++ === 0 ? gate.promise : Promise.resolve()));
    expect(queue.isScheduled('k')).toBe(false);
    queue.add('k');
    expect(queue.isScheduled('k')).toBe(true);
    queue.start();
    await settle();
    expect(queue.active).toBe(1);
    expect(queue.isScheduled('k')).toBe(true);
    gate.resolve({ requeueAfterMs: 5_000 });
    await settle();
    expect(queue.active).toBe(0);
    expect(queue.isScheduled('k')).toBe(true);
    timers.advance(5_000);
    await settle();
    expect(passes).toBe(2);
    expect(queue.isScheduled('k')).toBe(false);
  });

  it('runs at most N keys at once', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const { queue } = setup(2, async (key) => {
      const gate = deferred();
      gates.set(key, gate);
      await gate.promise;
    });
    queue.start();
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    await settle();
    expect([...gates.keys()]).toEqual(['a', 'b']);
    expect(queue.active).toBe(2);
    expect(queue.depth).toBe(2);
    gates.get('a')!.resolve();
    await settle();
    expect([...gates.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('retries failures with exponential backoff and resets after a success', async () => {
    const results: Array<'fail' | 'ok'> = ['fail', 'fail', 'fail', 'ok', 'fail'];
    let calls = 0;
    const { queue, timers, retries } = setup(1, async () => {
      if (results[calls++] === 'fail') throw new Error('boom');
    });
    queue.start();
    queue.add('k');
    await settle();
    expect(timers.delays).toEqual([1_000]);
    expect(queue.numRequeues('k')).toBe(1);

    timers.advance(999);
    await settle();
    expect(calls).toBe(1);
    timers.advance(1);
    await settle();
    expect(calls).toBe(2);
    expect(timers.delays).toEqual([2_000]);
    timers.advance(2_000);
    await settle();
    expect(timers.delays).toEqual([4_000]);
    timers.advance(4_000);
    await settle();
    expect(calls).toBe(4);
    expect(queue.numRequeues('k')).toBe(0);
    expect(timers.delays).toEqual([]);

    queue.add('k');
    await settle();
    expect(calls).toBe(5);
    expect(timers.delays).toEqual([1_000]);
    expect(retries.map(([, attempt, ms]) => [attempt, ms])).toEqual([
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [1, 1_000],
    ]);
  });

  it("waits at least the error's retry-after", async () => {
    const { queue, timers } = setup(
      1,
      async () => {
        throw Object.assign(new Error('throttled'), { retryAfterMs: 7_000 });
      },
      { retryAfterOf: (error) => (error as { retryAfterMs?: number }).retryAfterMs },
    );
    queue.start();
    queue.add('k');
    await settle();
    expect(timers.delays).toEqual([7_000]);
  });

  it('requeues after the requested delay and keeps the earlier of two deadlines', async () => {
    let calls = 0;
    const { queue, timers } = setup(1, async () => {
      calls++;
      return calls === 1 ? { requeueAfterMs: 60_000 } : undefined;
    });
    queue.start();
    queue.add('k');
    await settle();
    expect(timers.delays).toEqual([60_000]);
    queue.addAfter('k', 90_000);
    expect(timers.delays).toEqual([60_000]);
    queue.addAfter('k', 10_000);
    expect(timers.delays).toEqual([10_000]);
    expect(queue.isDelayed('k')).toBe(true);
    timers.advance(10_000);
    await settle();
    expect(calls).toBe(2);
    expect(timers.delays).toEqual([]);
  });

  it('forget() restarts the backoff from the base delay', () => {
    const { queue } = setup(1, async () => undefined);
    expect(queue.addRateLimited('k')).toBe(1_000);
    expect(queue.addRateLimited('k')).toBe(2_000);
    queue.forget('k');
    expect(queue.addRateLimited('k')).toBe(1_000);
  });

  it('shutdown() waits for in-flight passes, drops queued keys and ignores new ones', async () => {
    const gate = deferred();
    const seen: string[] = [];
    const { queue, timers } = setup(1, async (key) => {
      seen.push(key);
      if (key === 'a') await gate.promise;
    });
    queue.start();
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 5_000);
    await settle();
    let done = false;
    const shutdown = queue.shutdown().then(() => {
      done = true;
    });
    queue.add('d');
    await settle();
    expect(done).toBe(false);
    expect(timers.delays).toEqual([]);
    gate.resolve();
    await shutdown;
    expect(done).toBe(true);
    timers.advance(10_000);
    await settle();
    expect(seen).toEqual(['a']);
    expect(() => queue.start()).toThrow(/shut down/);
  });

  it('a failing pass during shutdown is not retried', async () => {
    const gate = deferred();
    const { queue, timers } = setup(1, async () => {
      await gate.promise;
      throw new Error('late failure');
    });
    queue.start();
    queue.add('k');
    await settle();
    const shutdown = queue.shutdown();
    gate.resolve();
    await shutdown;
    expect(timers.delays).toEqual([]);
  });

  it('rejects a non-positive worker count', () => {
    expect(() => setup(0, async () => undefined)).toThrow(/workers/);
  });

  describe('priority', () => {
    /** A queue with one worker; keys named `blocker*` hold it until `release(key)`. */
    async function busy() {
      const seen: string[] = [];
      const gates = new Map<string, ReturnType<typeof deferred<void>>>();
      const failing = new Set<string>();
      const { queue, timers } = setup(1, async (key) => {
        seen.push(key);
        if (key.startsWith('blocker')) {
          const gate = deferred();
          gates.set(key, gate);
          await gate.promise;
        }
        if (failing.has(key)) throw new Error(`${key} failed`);
      });
      queue.start();
      queue.add('blocker');
      await settle();
      const release = (key = 'blocker') => gates.get(key)!.resolve();
      return { queue, timers, seen, failing, release };
    }

    it('runs one urgent key beyond the workers when every worker is busy, never a routine one', async () => {
      const { queue, seen, release } = await busy();
      queue.add('resync-1');
      queue.add('blocker-revoke', 'urgent');
      await settle();
      // The revocation slot: the urgent key runs although the only worker is busy.
      expect(seen).toEqual(['blocker', 'blocker-revoke']);
      queue.add('revoke-2', 'urgent');
      await settle();
      // One slot only: the second urgent key waits, ahead of the routine one.
      expect(seen).toEqual(['blocker', 'blocker-revoke']);
      release('blocker-revoke');
      await settle();
      expect(seen).toEqual(['blocker', 'blocker-revoke', 'revoke-2']);
      release();
      await settle();
      expect(seen).toEqual(['blocker', 'blocker-revoke', 'revoke-2', 'resync-1']);
    });

    it('hands urgent keys to the next free worker before routine keys queued earlier', async () => {
      const { queue, seen, release } = await busy();
      queue.add('blocker-revoke', 'urgent'); // takes the revocation slot
      await settle();
      for (const key of ['resync-1', 'resync-2', 'resync-3']) queue.add(key);
      queue.add('revoke-1', 'urgent');
      queue.add('resync-4');
      queue.add('revoke-2', 'urgent');
      expect(queue.depth).toBe(6);
      release();
      await settle();
      // The freed worker goes to the urgent keys; routine ones wait while the slot is still taken.
      expect(seen).toEqual(['blocker', 'blocker-revoke', 'revoke-1', 'revoke-2']);
      release('blocker-revoke');
      await settle();
      expect(seen.slice(4)).toEqual(['resync-1', 'resync-2', 'resync-3', 'resync-4']);
    });

    it('moves a queued routine key to the urgent lane when it is added as urgent, once', async () => {
      const { queue, seen, release } = await busy();
      queue.add('blocker-revoke', 'urgent'); // takes the revocation slot
      await settle();
      queue.add('a');
      queue.add('b');
      queue.add('b', 'urgent');
      queue.add('b', 'urgent');
      queue.add('b');
      expect(queue.depth).toBe(2);
      release();
      release('blocker-revoke');
      await settle();
      expect(seen).toEqual(['blocker', 'blocker-revoke', 'b', 'a']);
    });

    it('an urgent re-add during a pass makes the next pass of that key urgent', async () => {
      const { queue, seen, release } = await busy();
      queue.add('other');
      queue.add('blocker', 'urgent');
      release();
      await settle();
      release();
      await settle();
      expect(seen).toEqual(['blocker', 'blocker', 'other']);
    });

    it('retries a failed urgent pass in the urgent lane, after its backoff', async () => {
      const { queue, seen, failing, timers, release } = await busy();
      failing.add('revoke');
      queue.add('revoke', 'urgent');
      release();
      await settle();
      expect(seen).toEqual(['blocker', 'revoke']);
      expect(timers.delays).toEqual([1_000]);
      failing.delete('revoke');
      queue.add('blocker-2');
      await settle();
      queue.add('resync');
      timers.advance(1_000);
      release('blocker-2');
      await settle();
      expect(seen).toEqual(['blocker', 'revoke', 'blocker-2', 'revoke', 'resync']);
    });

    it('raises the pass in progress to urgent when its key is added as urgent, and only then', async () => {
      const lanes = new Map<string, PassLane>();
      const gate = deferred();
      const { queue } = setup(2, async (key, lane) => {
        lanes.set(key, lane);
        await gate.promise;
      });
      queue.start();
      queue.add('resync');
      queue.add('deleted');
      await settle();
      expect(lanes.get('deleted')?.priority).toBe('routine');
      queue.add('resync');
      queue.add('deleted', 'urgent');
      expect(lanes.get('resync')?.priority).toBe('routine');
      expect(lanes.get('deleted')?.priority).toBe('urgent');
      gate.resolve();
      await settle();
      // The next pass of the deleted key comes from the urgent lane.
      expect(lanes.get('deleted')?.priority).toBe('urgent');
      expect(lanes.get('resync')?.priority).toBe('routine');
    });

    it('a pass that asks to come back urgently (an expiry falls due) comes back in the urgent lane', async () => {
      const seen: string[] = [];
      const gate = deferred<void>();
      const { queue, timers } = setup(1, async (key) => {
        seen.push(key);
        if (key === 'expiring' && seen.length === 1) return { requeueAfterMs: 1_000, priority: 'urgent' };
        if (key === 'blocker') await gate.promise;
        return undefined;
      });
      queue.start();
      queue.add('expiring');
      await settle();
      queue.add('blocker');
      await settle();
      queue.add('resync');
      timers.advance(1_000);
      gate.resolve();
      await settle();
      expect(seen).toEqual(['expiring', 'blocker', 'expiring', 'resync']);
    });

    it('a delayed key keeps the higher priority when asked again for later', async () => {
      const { queue, seen, timers, release } = await busy();
      queue.addAfter('k', 1_000, 'urgent');
      queue.addAfter('k', 5_000);
      expect(timers.delays).toEqual([1_000]);
      queue.addAfter('j', 1_000);
      queue.addAfter('j', 2_000, 'urgent');
      queue.add('routine');
      timers.advance(1_000);
      release();
      await settle();
      expect(seen).toEqual(['blocker', 'k', 'j', 'routine']);
    });
  });
});
