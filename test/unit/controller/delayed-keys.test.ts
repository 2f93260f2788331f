import { describe, expect, it } from 'vitest';
import { DelayedKeys } from '../../../src/controller/delayed-keys.js';
import type { Timers } from '../../../src/controller/timing.js';
import { ManualTimers } from './manual-timers.js';

function setup(timers: Timers = new ManualTimers()) {
  const due: Array<[string, string, number]> = [];
  const keys = new DelayedKeys<string>(timers, (key, payload) => due.push([key, payload, timers.now()]));
  return { keys, due };
}

/** A repeatable sequence of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('DelayedKeys', () => {
  it.each([
    {
      name: 'in deadline order',
      set: [
        ['a', 300],
        ['b', 100],
        ['c', 200],
      ],
      fired: ['b', 'c', 'a'],
    },
    {
      name: 'a key set again moves to its new deadline',
      set: [
        ['a', 100],
        ['b', 200],
        ['a', 300],
      ],
      fired: ['b', 'a'],
    },
    {
      name: 'a key set earlier moves ahead',
      set: [
        ['a', 300],
        ['b', 200],
        ['a', 100],
      ],
      fired: ['a', 'b'],
    },
    {
      name: 'the same deadline fires all',
      set: [
        ['a', 100],
        ['b', 100],
        ['c', 100],
      ],
      fired: ['a', 'b', 'c'],
    },
  ] as const)('fires keys $name, once each', ({ set, fired }) => {
    const timers = new ManualTimers();
    const { keys, due } = setup(timers);
    for (const [key, at] of set) keys.set(key, at, `payload-${key}`);
    timers.advance(1_000);
    expect(due.map(([key]) => key)).toEqual(fired);
    expect(due.every(([key, payload]) => payload === `payload-${key}`)).toBe(true);
    expect(keys.size).toBe(0);
    expect(timers.delays).toEqual([]);
  });

  it('keeps a single timer, armed for the earliest deadline', () => {
    const timers = new ManualTimers();
    const { keys, due } = setup(timers);
    keys.set('late', 5_000, 'x');
    expect(timers.delays).toEqual([5_000]);
    keys.set('early', 1_000, 'x');
    expect(timers.delays).toEqual([1_000]);
    keys.set('middle', 3_000, 'x');
    expect(timers.delays).toEqual([1_000]);
    timers.advance(1_000);
    expect(due).toEqual([['early', 'x', 1_000]]);
    expect(timers.delays).toEqual([2_000]);
    expect(keys.has('early')).toBe(false);
    expect(keys.get('middle')).toEqual({ at: 3_000, payload: 'x' });
  });

  it('forgets everything on clear and fires nothing after', () => {
    const timers = new ManualTimers();
    const { keys, due } = setup(timers);
    keys.set('a', 100, 'x');
    keys.set('b', 200, 'x');
    keys.clear();
    timers.advance(1_000);
    expect(due).toEqual([]);
    expect(timers.delays).toEqual([]);
  });

  it('lets onDue schedule again, including a key already due', () => {
    const timers = new ManualTimers();
    const due: string[] = [];
    const keys: DelayedKeys<number> = new DelayedKeys<number>(timers, (key, round) => {
      due.push(`${key}${round}`);
      if (round < 3) keys.set(key, timers.now() + (key === 'a' ? 0 : 100), round + 1);
    });
    keys.set('a', 100, 1);
    keys.set('b', 100, 1);
    timers.advance(1_000);
    expect(due).toEqual(['a1', 'b1', 'a2', 'a3', 'b2', 'b3']);
  });

  it('waits again for what remains when the timer fires before the deadline', () => {
    let now = 0;
    const armed: Array<{ ms: number; callback: () => void }> = [];
    const early: Timers = {
      now: () => now,
      setTimeout: (callback, ms) => armed.push({ ms, callback }),
      clearTimeout: () => undefined,
    };
    const { keys, due } = setup(early);
    keys.set('a', 100, 'x');
    now = 99; // Node's loop time lags the clock, so the timer can fire 1 ms early
    armed[0]?.callback();
    expect(due).toEqual([]);
    expect(armed.map(({ ms }) => ms)).toEqual([100, 1]);
    now = 100;
    armed[1]?.callback();
    expect(due).toEqual([['a', 'x', 100]]);
  });

  it('fires 2,000 keys with random deadlines and updates in deadline order', () => {
    const timers = new ManualTimers();
    const { keys, due } = setup(timers);
    const random = seeded(7);
    const deadlines = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const key = `k${Math.floor(random() * 2_000)}`;
      const at = Math.floor(random() * 100_000) + 1;
      keys.set(key, at, key);
      deadlines.set(key, at);
    }
    timers.advance(100_000);
    const fired = due.map(([key]) => key);
    expect(new Set(fired).size).toBe(fired.length);
    expect(fired.sort()).toEqual([...deadlines.keys()].sort());
    const times = due.map(([key, , at]) => [deadlines.get(key), at]);
    expect(times.every(([deadline, at]) => deadline === at)).toBe(true);
  });
});
