import { describe, expect, it } from 'vitest';
import { LeaseObservation } from '../../../src/controller/lease-observation.js';

describe('LeaseObservation: expiry from the observed record and the local time, as client-go', () => {
  const lease = (renewTime: string, holderIdentity = 'other') => ({
    holderIdentity,
    leaseDurationSeconds: 15,
    renewTime: renewTime as never,
  });

  it('expires a lease seen unchanged for its duration, whatever its renewTime says', () => {
    let now = 1_000;
    const observation = new LeaseObservation(() => now);
    // renewTime an hour in the future (a holder whose clock runs ahead): irrelevant.
    const spec = lease('2099-01-01T00:00:00.000000Z');
    observation.observe(spec);
    now += 14_999;
    observation.observe(spec);
    expect(observation.expired(spec)).toBe(false);
    now += 1;
    expect(observation.expired(spec)).toBe(true);
  });

  it('a renewal (a changed record) restarts the count, even if renewTime looks long past', () => {
    let now = 0;
    const observation = new LeaseObservation(() => now);
    observation.observe(lease('2001-01-01T00:00:00.000000Z'));
    now = 10_000;
    const renewed = lease('2001-01-01T00:00:10.000000Z');
    observation.observe(renewed);
    now = 20_000;
    expect(observation.expired(renewed)).toBe(false);
    now = 25_000;
    expect(observation.expired(renewed)).toBe(true);
  });

  it('a new holder is a new record', () => {
    let now = 0;
    const observation = new LeaseObservation(() => now);
    observation.observe(lease('t', 'a'));
    now = 14_000;
    observation.observe(lease('t', 'b'));
    now = 16_000;
    expect(observation.expired(lease('t', 'b'))).toBe(false);
  });

  it('a lease without a duration, or never observed, counts as expired', () => {
    const observation = new LeaseObservation(() => 0);
    expect(observation.expired(lease('t'))).toBe(true);
    observation.observe({ holderIdentity: 'x' });
    expect(observation.expired({ holderIdentity: 'x' })).toBe(true);
  });
});
