import { describe, expect, it } from 'vitest';
import { VersionLog } from '../../src/cloud/consistency/version-log.js';

const A = '1111111111111111';
const B = '2222222222222222';

/** What a reader of `account` sees of `key` at `nowMs`: 'true' when it sees the true state. */
function seen(log: VersionLog<string>, account: string, key: string, nowMs: number): string | undefined {
  const lagging = log.lagging(account, nowMs);
  return lagging.has(key) ? lagging.get(key) : 'true';
}

describe('consistency model: the version log', () => {
  it('shows the state before a write until its lag has passed, then the true state', () => {
    const log = new VersionLog<string>();
    log.record(A, 'role:r', undefined, 'v1', 1000, 300);
    expect(seen(log, A, 'role:r', 1000)).toBeUndefined();
    expect(seen(log, A, 'role:r', 1299)).toBeUndefined();
    expect(seen(log, A, 'role:r', 1300)).toBe('true');
    // Settled entities are forgotten: nothing lags any more.
    expect(log.lagging(A, 1300).size).toBe(0);
    expect(log.accounts()).toEqual([]);
  });

  it('shows, per entity, the newest visible write: a later write may show before an earlier one', () => {
    const log = new VersionLog<string>();
    log.record(A, 'role:r', 'v0', 'v1', 1000, 500); // visible at 1500
    log.record(A, 'role:r', 'v1', 'v2', 1100, 100); // visible at 1200
    log.record(A, 'role:r', 'v2', 'v3', 1200, 600); // visible at 1800
    expect(seen(log, A, 'role:r', 1150)).toBe('v0');
    expect(seen(log, A, 'role:r', 1250)).toBe('v2');
    // v1 became visible at 1500, but v2 is newer and already shown: v1 never shows.
    expect(seen(log, A, 'role:r', 1600)).toBe('v2');
    expect(seen(log, A, 'role:r', 1800)).toBe('true');
  });

  it('lets entities lag independently, so a later write to one entity shows before an earlier to another', () => {
    const log = new VersionLog<string>();
    log.record(A, 'role:first', undefined, 'created', 1000, 800);
    log.record(A, 'role:second', undefined, 'created', 1010, 50);
    const at = log.lagging(A, 1100);
    expect(at.has('role:first')).toBe(true);
    expect(at.get('role:first')).toBeUndefined();
    expect(at.has('role:second')).toBe(false);
  });

  it('keeps accounts apart and shows deletions as absence', () => {
    const log = new VersionLog<string>();
    log.record(A, 'user:u', 'alive', undefined, 1000, 200);
    expect(seen(log, A, 'user:u', 1100)).toBe('alive');
    expect(seen(log, B, 'user:u', 1100)).toBe('true');
    expect(log.accounts()).toEqual([A]);
    expect(seen(log, A, 'user:u', 1200)).toBe('true');
  });

  it('a zero lag is visible at once and supersedes pending writes', () => {
    const log = new VersionLog<string>();
    log.record(A, 'group:g', 'v0', 'v1', 1000, 1000);
    log.record(A, 'group:g', 'v1', 'v2', 1001, 0);
    expect(seen(log, A, 'group:g', 1001)).toBe('true');
  });

  it('clear() forgets every history', () => {
    const log = new VersionLog<string>();
    log.record(A, 'role:r', undefined, 'v1', 1000, 300);
    log.clear();
    expect(seen(log, A, 'role:r', 1000)).toBe('true');
  });
});
