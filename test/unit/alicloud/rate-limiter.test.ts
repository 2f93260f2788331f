import { describe, expect, it } from 'vitest';
import { AccountRateLimiters, TokenBucket } from '../../../src/alicloud/rate-limiter.js';

/** A clock that only moves when someone sleeps, recording every sleep. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst through without waiting, then spaces calls at 1/qps', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 10, burst: 3, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 3; i++) await bucket.acquire();
    expect(time.sleeps).toEqual([]);
    await bucket.acquire();
    await bucket.acquire();
    // Both calls come at the same instant: the 4th waits one token (100 ms), the 5th two.
    expect(time.sleeps.map((ms) => Math.round(ms))).toEqual([100, 200]);
  });

  it('serves concurrent waiters in arrival order and drops none', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 4, burst: 1, now: time.now, sleep: time.sleep });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(time.sleeps.map((ms) => Math.round(ms))).toEqual([250, 500, 750]);
  });

  it('refills with elapsed time, never above the burst', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 10, burst: 2, now: time.now, sleep: time.sleep });
    await bucket.acquire();
    await bucket.acquire();
    time.advance(10_000); // a long quiet period refills to 2 tokens, not 100
    await bucket.acquire();
    await bucket.acquire();
    expect(time.sleeps).toEqual([]);
    await bucket.acquire();
    expect(time.sleeps.map((ms) => Math.round(ms))).toEqual([100]);
  });

  it('pays back the debt of earlier waiters before serving a later one', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    await bucket.acquire();
    await bucket.acquire(); // reserved the token due at 100 ms
    time.advance(50);
    await bucket.acquire(); // next token is due at 200 ms: wait 150 ms
    expect(time.sleeps.map((ms) => Math.round(ms))).toEqual([100, 150]);
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
});

describe('AccountRateLimiters', () => {
  it('shares one bucket per account and separates accounts', async () => {
    const time = fakeTime();
    const limiters = new AccountRateLimiters({ qps: 10, burst: 1, now: time.now, sleep: time.sleep });
    expect(limiters.forAccount('1111111111111111')).toBe(limiters.forAccount('1111111111111111'));
    await limiters.forAccount('1111111111111111').acquire();
    await limiters.forAccount('2222222222222222').acquire();
    expect(time.sleeps).toEqual([]);
    await limiters.forAccount('1111111111111111').acquire();
    expect(time.sleeps.map((ms) => Math.round(ms))).toEqual([100]);
  });
});
