import { describe, expect, it } from 'vitest';
import { AccountRateLimiters, TokenBucket } from '../../../src/alicloud/rate-limiter.js';
import type { CallPriority } from '../../../src/alicloud/call-priority.js';

const urgent = () => 'urgent' as CallPriority;

/**
 * Virtual time: `sleep` schedules a wake-up, and `run` moves the clock from one wake-up to the next
 * (letting promise callbacks settle in between) until nothing is pending.
 */
function virtualTime() {
  let now = 0;
  const pending: { at: number; wake: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    /** Lets the callbacks of calls served so far run (at the current instant), then moves the clock. */
    async advance(ms: number): Promise<void> {
      await settle();
      now += ms;
    },
    sleep: (ms: number) => new Promise<void>((wake) => pending.push({ at: now + ms, wake })),
    async run(): Promise<void> {
      for (;;) {
        await settle();
        if (pending.length === 0) return;
        pending.sort((a, b) => a.at - b.at);
        const next = pending.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

/** Starts one acquire per label (in order, at the current instant) and records when each was served. */
function acquireAll(
  bucket: TokenBucket,
  time: { now(): number },
  labels: string[],
  priority?: () => CallPriority,
) {
  const served: [string, number][] = [];
  const done = Promise.all(
    labels.map((label) => bucket.acquire(priority).then(() => served.push([label, Math.round(time.now())]))),
  );
  return { served, done };
}

describe('TokenBucket', () => {
  it('lets a burst through without waiting, then spaces calls at 1/qps', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 3, now: time.now, sleep: time.sleep });
    const { served, done } = acquireAll(bucket, time, ['a', 'b', 'c', 'd', 'e']);
    await time.run();
    await done;
    expect(served).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
      ['d', 100],
      ['e', 200],
    ]);
  });

  it('serves waiters of one lane in arrival order and drops none', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 4, burst: 1, now: time.now, sleep: time.sleep });
    const { served, done } = acquireAll(bucket, time, ['0', '1', '2', '3']);
    await time.run();
    await done;
    expect(served).toEqual([
      ['0', 0],
      ['1', 250],
      ['2', 500],
      ['3', 750],
    ]);
  });

  it('gives the next token to an urgent waiter ahead of routine ones already waiting', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    const routine = acquireAll(bucket, time, ['r0', 'r1', 'r2', 'r3']);
    await time.advance(30); // r0 went at 0; r1 is due at 100, r2 at 200, r3 at 300
    const revocation = acquireAll(bucket, time, ['u0', 'u1'], urgent);
    await time.run();
    await Promise.all([routine.done, revocation.done]);
    const order = [...routine.served, ...revocation.served].sort((a, b) => a[1] - b[1]);
    expect(order).toEqual([
      ['r0', 0],
      ['u0', 100],
      ['u1', 200],
      ['r1', 300],
      ['r2', 400],
      ['r3', 500],
    ]);
  });

  it('takes an urgent call at once when a token is free, even with routine calls queued behind', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 2, now: time.now, sleep: time.sleep });
    const routine = acquireAll(bucket, time, ['r0', 'r1', 'r2']);
    await time.run(); // r0, r1 at 0; r2 at 100
    await time.advance(1_000); // the bucket refills to 2
    const revocation = acquireAll(bucket, time, ['u0'], urgent);
    await time.run();
    await Promise.all([routine.done, revocation.done]);
    expect(revocation.served).toEqual([['u0', 1100]]);
  });

  it('serves next a waiting call whose pass turned urgent while it waited', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    let raised = false;
    const before = acquireAll(bucket, time, ['r0', 'r1', 'r2']);
    const raisedLater = acquireAll(bucket, time, ['p'], () => (raised ? 'urgent' : 'routine'));
    const after = acquireAll(bucket, time, ['r3']);
    await time.advance(50); // r0 went at 0; next token at 100
    raised = true;
    await time.run();
    await Promise.all([before.done, raisedLater.done, after.done]);
    const order = [...before.served, ...raisedLater.served, ...after.served].sort((a, b) => a[1] - b[1]);
    expect(order).toEqual([
      ['r0', 0],
      ['p', 100],
      ['r1', 200],
      ['r2', 300],
      ['r3', 400],
    ]);
  });

  it('refills with elapsed time, never above the burst', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 2, now: time.now, sleep: time.sleep });
    await bucket.acquire();
    await bucket.acquire();
    await time.advance(10_000); // a long quiet period refills to 2 tokens, not 100
    const { served, done } = acquireAll(bucket, time, ['a', 'b', 'c']);
    await time.run();
    await done;
    expect(served).toEqual([
      ['a', 10_000],
      ['b', 10_000],
      ['c', 10_100],
    ]);
  });

  it('serves a later caller only after the earlier waiters of its lane', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    const first = acquireAll(bucket, time, ['a', 'b']);
    await time.advance(50);
    const later = acquireAll(bucket, time, ['c']);
    await time.run();
    await Promise.all([first.done, later.done]);
    expect([...first.served, ...later.served]).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
  });

  it.each([
    [{ qps: 0, burst: 1 }],
    [{ qps: -1, burst: 1 }],
    [{ qps: Number.NaN, burst: 1 }],
    [{ qps: 1, burst: 0 }],
    [{ qps: 1, burst: Number.POSITIVE_INFINITY }],
  ])('rejects %j', (options) => {
    expect(() => new TokenBucket(options)).toThrow(RangeError);
  });

  it('waits for real with the default clock and sleep', async () => {
    const bucket = new TokenBucket({ qps: 50, burst: 1 });
    const started = performance.now();
    for (let i = 0; i < 4; i++) await bucket.acquire();
    // Three waits of 20 ms each (timer granularity allows a little less).
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('lets an urgent call overtake a real queue of routine calls', async () => {
    const bucket = new TokenBucket({ qps: 50, burst: 1 });
    const order: string[] = [];
    const routine = Array.from({ length: 10 }, (_, i) => bucket.acquire().then(() => order.push(`r${i}`)));
    const revocation = bucket.acquire(urgent).then(() => order.push('urgent'));
    await Promise.all([...routine, revocation]);
    // r0 took the only token; the urgent call took the next one, 20 ms later, not 200 ms later.
    expect(order.slice(0, 2)).toEqual(['r0', 'urgent']);
    expect(order).toHaveLength(11);
  });
});

describe('AccountRateLimiters', () => {
  it('shares one bucket per account and separates accounts', async () => {
    const time = virtualTime();
    const limiters = new AccountRateLimiters({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    const a = '1111111111111111';
    expect(limiters.forAccount(a)).toBe(limiters.forAccount(a));
    const served: [string, number][] = [];
    const record = (label: string) => () => served.push([label, time.now()]);
    const done = Promise.all([
      limiters.forAccount(a).acquire().then(record('a1')),
      limiters.forAccount('2222222222222222').acquire().then(record('b1')),
      limiters.forAccount(a).acquire().then(record('a2')),
    ]);
    await time.run();
    await done;
    expect(served).toEqual([
      ['a1', 0],
      ['b1', 0],
      ['a2', 100],
    ]);
  });
});
