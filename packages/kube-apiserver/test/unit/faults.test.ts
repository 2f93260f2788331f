import { describe, expect, it } from 'vitest';
import { FaultInjector, seededRandom } from '../../src/faults/fault-injector.js';
import { NO_FAULTS, updateFaultSettings } from '../../src/faults/fault-settings.js';
import { ApiError } from '../../src/errors.js';

describe('fault settings', () => {
  it('changes only the fields given', () => {
    expect(updateFaultSettings(NO_FAULTS, { errorRate: 0.5 })).toEqual({ ...NO_FAULTS, errorRate: 0.5 });
    expect(updateFaultSettings({ ...NO_FAULTS, latencyMs: 10 }, { watchDropAfterMs: 500 })).toEqual({
      ...NO_FAULTS,
      latencyMs: 10,
      watchDropAfterMs: 500,
    });
  });

  it.each<[unknown, string]>([
    [{ errorRate: 1.5 }, 'fault setting "errorRate" must be a share from 0 to 1, got 1.5'],
    [{ throttleRate: -0.1 }, 'fault setting "throttleRate" must be a share from 0 to 1, got -0.1'],
    [
      { latencyMs: '5' },
      'fault setting "latencyMs" must be a number of milliseconds from 0 to 60000, got "5"',
    ],
    [
      { watchDropAfterMs: null },
      'fault setting "watchDropAfterMs" must be a number of milliseconds from 0 to 3600000',
    ],
    [
      { dropRate: 0.1 },
      'unknown fault setting "dropRate"; known: watchDropAfterMs, errorRate, throttleRate, latencyMs',
    ],
    [[1], 'the fault settings must be a JSON object'],
  ])('refuses %j with a 400 naming the field', (update, message) => {
    try {
      updateFaultSettings(NO_FAULTS, update);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(400);
      expect((error as ApiError).message).toContain(message);
    }
  });
});

describe('fault injection', () => {
  const tally = (injector: FaultInjector, n: number) => {
    const counts: Record<string, number> = { ok: 0 };
    for (let i = 0; i < n; i++) {
      const failure = injector.failure();
      const key = failure ? String(failure.code) : 'ok';
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  it('injects nothing when off', () => {
    expect(tally(new FaultInjector(seededRandom(1)), 1000)).toEqual({ ok: 1000 });
  });

  it('answers about the configured shares, reproducibly for a seed', () => {
    const injector = new FaultInjector(seededRandom(42));
    injector.update({ throttleRate: 0.2, errorRate: 0.25 });
    const counts = tally(injector, 4000);
    expect((counts['429'] ?? 0) / 4000).toBeCloseTo(0.2, 1);
    expect(((counts['500'] ?? 0) + (counts['503'] ?? 0)) / 4000).toBeCloseTo(0.8 * 0.25, 1);
    expect(counts['500']).toBeGreaterThan(0);
    expect(counts['503']).toBeGreaterThan(0);
    const again = new FaultInjector(seededRandom(42));
    again.update({ throttleRate: 0.2, errorRate: 0.25 });
    expect(tally(again, 4000)).toEqual(counts);
  });

  it('gives a 429 a Retry-After header and a TooManyRequests Status', () => {
    const injector = new FaultInjector(seededRandom(3));
    injector.update({ throttleRate: 1 });
    const failure = injector.failure();
    expect(failure?.headers).toEqual({ 'Retry-After': '1' });
    expect(failure?.toStatus()).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
    });
  });

  it('tells listeners about new settings', () => {
    const injector = new FaultInjector();
    const seen: number[] = [];
    injector.onChange((s) => seen.push(s.watchDropAfterMs));
    injector.update({ watchDropAfterMs: 100 });
    injector.update({ watchDropAfterMs: 0 });
    expect(seen).toEqual([100, 0]);
  });
});
