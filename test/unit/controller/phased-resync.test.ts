import { describe, expect, it } from 'vitest';
import { phasedResyncDelay } from '../../../src/controller/timing.js';

const PERIOD = 600_000;
const MIN_GAP = 0.1;

describe('phasedResyncDelay', () => {
  it('keeps every delay within [minGap, 1 + minGap) periods', () => {
    for (let i = 0; i < 2_000; i++) {
      const delay = phasedResyncDelay(`ns/delegation-${i}`, PERIOD, 1_700_000_000_000 + i * 7_919, MIN_GAP);
      expect(delay).toBeGreaterThanOrEqual(PERIOD * MIN_GAP);
      expect(delay).toBeLessThan(PERIOD * (1 + MIN_GAP));
    }
  });

  it('brings a key back at the same phase whenever it passed: a key passing at its phase waits one period', () => {
    const key = 'team-a/orders-bus';
    const now = 1_700_000_000_000;
    const at = now + phasedResyncDelay(key, PERIOD, now, MIN_GAP);
    // A pass 1 ms after its phase: the next one is a period minus that millisecond away.
    expect(phasedResyncDelay(key, PERIOD, at + 1, MIN_GAP)).toBe(PERIOD - 1);
    // A pass in between (a watch event) does not move the phase.
    expect(at + PERIOD - 123_456 + phasedResyncDelay(key, PERIOD, at + PERIOD - 123_456, MIN_GAP)).toBe(
      at + PERIOD,
    );
  });

  it('skips a phase closer than the minimum gap', () => {
    const key = 'team-a/orders-bus';
    const now = 1_700_000_000_000;
    const at = now + phasedResyncDelay(key, PERIOD, now, MIN_GAP);
    expect(phasedResyncDelay(key, PERIOD, at - 1_000, MIN_GAP)).toBe(PERIOD + 1_000);
  });

  it('spreads keys that all passed at the same moment evenly over the period', () => {
    const now = 1_700_000_000_000;
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const delay = phasedResyncDelay(`default/converge-${i}`, PERIOD, now, 0);
      buckets[Math.floor((delay / PERIOD) * 10)]! += 1;
    }
    // Each tenth of the period gets about a tenth of the keys (a burst would put them all in one).
    for (const count of buckets) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1_200);
    }
  });
});
