/** The lifecycle gauges (issue #15): seconds computed at each scrape, labelled by delegation and user. */
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';

const samples = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('lifecycle gauges', () => {
  let now = new Date('2027-03-30T00:00:00Z');
  const metrics = createMetrics({ processMetrics: false, clock: () => now });
  const { lifecycle } = metrics;

  it('give the seconds to expiry, going negative once expired, and drop a delegation that no longer expires', async () => {
    lifecycle.setExpiry('ns', 'd', new Date('2027-03-31T00:00:00Z'));
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_seconds_to_expiry')).toEqual([
      'ram_delegation_seconds_to_expiry{namespace="ns",name="d"} 86400',
    ]);
    now = new Date('2027-03-31T00:00:10Z');
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_seconds_to_expiry')).toEqual([
      'ram_delegation_seconds_to_expiry{namespace="ns",name="d"} -10',
    ]);
    lifecycle.setExpiry('ns', 'd', undefined);
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_seconds_to_expiry')).toEqual([]);
  });

  it('give each key’s age and idle time by user; a removed user or a deleted delegation loses its series', async () => {
    now = new Date('2027-01-02T00:00:00Z');
    lifecycle.setAccessKeys('ns', 'd', [
      {
        user: 'a',
        createdAt: new Date('2027-01-01T00:00:00Z'),
        lastUsedAt: new Date('2027-01-01T12:00:00Z'),
      },
      { user: 'b', createdAt: new Date('2027-01-01T00:00:00Z'), lastUsedAt: undefined },
    ]);
    const text = await metrics.registry.metrics();
    expect(samples(text, 'ram_delegation_access_key_age_seconds')).toEqual([
      'ram_delegation_access_key_age_seconds{namespace="ns",name="d",user="a"} 86400',
      'ram_delegation_access_key_age_seconds{namespace="ns",name="d",user="b"} 86400',
    ]);
    expect(samples(text, 'ram_delegation_access_key_idle_seconds')).toEqual([
      'ram_delegation_access_key_idle_seconds{namespace="ns",name="d",user="a"} 43200',
      'ram_delegation_access_key_idle_seconds{namespace="ns",name="d",user="b"} 86400',
    ]);
    lifecycle.setAccessKeys('ns', 'd', [
      { user: 'a', createdAt: new Date('2027-01-01T00:00:00Z'), lastUsedAt: undefined },
    ]);
    expect(samples(await metrics.registry.metrics(), 'ram_delegation_access_key_age_seconds')).toHaveLength(
      1,
    );
    lifecycle.setExpiry('ns', 'd', new Date('2027-03-31T00:00:00Z'));
    lifecycle.forget('ns', 'd');
    const after = await metrics.registry.metrics();
    expect(samples(after, 'ram_delegation_access_key_age_seconds')).toEqual([]);
    expect(samples(after, 'ram_delegation_seconds_to_expiry')).toEqual([]);
  });
});
