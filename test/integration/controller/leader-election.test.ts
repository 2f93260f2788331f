import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaderElector, LeadershipLostError } from '../../../src/controller/leader-election.js';
import { eventually, startKube, type KubeFixture } from './kube-fixture.js';

describe('leader election on a Lease', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await startKube();
  });
  afterAll(async () => {
    await kube?.stop();
  });

  /** A Lease held by `holder`, renewed at `at` (by its own clock) and never again: a crashed leader. */
  async function abandonedLease(name: string, holder: string, at: Date, leaseTransitions: number) {
    const time = at.toISOString().replace('Z', '000Z') as never;
    await kube.coordination.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name, namespace: 'default' },
        spec: {
          holderIdentity: holder,
          leaseDurationSeconds: 2,
          renewTime: time,
          acquireTime: time,
          leaseTransitions,
        },
      },
    });
  }

  function candidate(identity: string, name: string, log: string[], clock?: () => Date) {
    return new LeaderElector({
      ...(clock ? { clock } : {}),
      coordination: kube.coordination,
      namespace: 'default',
      name,
      identity,
      leaseDurationMs: 1_500,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
      onStartedLeading: () => log.push(`${identity} started`),
      onStoppedLeading: () => log.push(`${identity} stopped`),
    });
  }

  it('elects exactly one of two candidates, writes MicroTime, and hands over on release', async () => {
    const log: string[] = [];
    const a = candidate('replica-a', 'handover', log);
    const b = candidate('replica-b', 'handover', log);
    const runA = a.run();
    const runB = b.run();
    await eventually(() => expect(a.isLeader() || b.isLeader()).toBe(true));
    // Several renew periods later, still exactly one leader.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, standby, leaderRun] = a.isLeader() ? [a, b, runA] : [b, a, runB];

    const lease = await kube.coordination.readNamespacedLease({ name: 'handover', namespace: 'default' });
    expect(lease.spec?.holderIdentity).toBe(leader === a ? 'replica-a' : 'replica-b');
    expect(lease.spec?.leaseDurationSeconds).toBe(2);
    expect(String(lease.spec?.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const released = Date.now();
    await leader.stop();
    await leaderRun;
    expect(leader.isLeader()).toBe(false);
    await eventually(() => expect(standby.isLeader()).toBe(true));
    // A released lease is taken at the next retry, not after the lease duration.
    expect(Date.now() - released).toBeLessThan(1_200);
    const after = await kube.coordination.readNamespacedLease({ name: 'handover', namespace: 'default' });
    expect(after.spec?.holderIdentity).toBe(standby === a ? 'replica-a' : 'replica-b');
    expect(after.spec?.leaseTransitions).toBe(1);
    await standby.stop();
    await Promise.all([runA, runB]);
    const cleared = await kube.coordination.readNamespacedLease({ name: 'handover', namespace: 'default' });
    expect(cleared.spec?.holderIdentity ?? '').toBe('');
    expect(log.filter((line) => line.endsWith('started'))).toHaveLength(2);
    expect(log.filter((line) => line.endsWith('stopped'))).toHaveLength(2);
  });

  it('takes over only after a silent leader’s lease expires', async () => {
    const log: string[] = [];
    // A leader that crashed: it holds the lease and never renews it.
    await abandonedLease('takeover', 'crashed', new Date(), 3);
    const b = candidate('replica-b', 'takeover', log);
    const started = Date.now();
    const run = b.run();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(b.isLeader()).toBe(false);
    await eventually(() => expect(b.isLeader()).toBe(true), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const lease = await kube.coordination.readNamespacedLease({ name: 'takeover', namespace: 'default' });
    expect(lease.spec?.holderIdentity).toBe('replica-b');
    expect(lease.spec?.leaseTransitions).toBe(4);
    await b.stop();
    await run;
  });

  it('a leader that cannot renew steps down after the renew deadline', async () => {
    const log: string[] = [];
    const a = candidate('replica-a', 'lost', log);
    const run = a.run();
    await eventually(() => expect(a.isLeader()).toBe(true));
    // Someone else takes the lease out from under the leader (e.g. after a long GC pause).
    const lease = await kube.coordination.readNamespacedLease({ name: 'lost', namespace: 'default' });
    await kube.coordination.replaceNamespacedLease({
      name: 'lost',
      namespace: 'default',
      body: {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: 'intruder',
          renewTime: new Date(Date.now() + 60_000).toISOString().replace('Z', '000Z') as never,
        },
      },
    });
    await run;
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['replica-a started', 'replica-a stopped']);
  });

  it('a leader whose API server goes away steps down after the renew deadline', async () => {
    const own = await startKube();
    const log: string[] = [];
    const elector = new LeaderElector({
      coordination: own.coordination,
      namespace: 'default',
      name: 'unreachable',
      identity: 'replica-a',
      leaseDurationMs: 1_500,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
      onStartedLeading: () => log.push('started'),
      onStoppedLeading: () => log.push('stopped'),
    });
    const run = elector.run();
    await eventually(() => expect(elector.isLeader()).toBe(true));
    let abortedAfterMs = -1;
    elector.signal.addEventListener('abort', () => (abortedAfterMs = Date.now() - stoppedAt));
    await own.stop();
    const stoppedAt = Date.now();
    await run;
    const tookMs = Date.now() - stoppedAt;
    expect(log).toEqual(['started', 'stopped']);
    // It held on through transient failures for the renew deadline, then gave up before the lease expired.
    expect(tookMs).toBeGreaterThanOrEqual(700);
    expect(tookMs).toBeLessThan(1_500);
    // The signal in-flight work watches was aborted at that moment, with the reason.
    expect(elector.signal.aborted).toBe(true);
    expect(elector.signal.reason).toBeInstanceOf(LeadershipLostError);
    expect(abortedAfterMs).toBeGreaterThanOrEqual(700);
    expect(abortedAfterMs).toBeLessThan(1_500);
  });

  it('a holder whose clock runs an hour behind keeps its lease: expiry follows the observed record, not renewTime', async () => {
    const log: string[] = [];
    const behind = () => new Date(Date.now() - 3_600_000);
    const holder = candidate('slow-clock', 'skew-behind', log, behind);
    const holderRun = holder.run();
    await eventually(() => expect(holder.isLeader()).toBe(true));
    const other = candidate('replica-b', 'skew-behind', log);
    const otherRun = other.run();
    // Three lease durations: by renewTime the lease looks expired for an hour; it is renewed all along.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(holder.isLeader()).toBe(true);
    expect(other.isLeader()).toBe(false);
    expect(log).toEqual(['slow-clock started']);
    await holder.stop();
    await holderRun;
    await eventually(() => expect(other.isLeader()).toBe(true));
    await other.stop();
    await otherRun;
  });

  it('a holder whose clock ran an hour ahead and then died is replaced one lease duration after its last renewal', async () => {
    // Written as a holder with a fast clock would: renewTime an hour in the future.
    await abandonedLease('skew-ahead', 'fast-clock', new Date(Date.now() + 3_600_000), 0);
    const log: string[] = [];
    const b = candidate('replica-b', 'skew-ahead', log);
    const started = Date.now();
    const run = b.run();
    await eventually(() => expect(b.isLeader()).toBe(true), 6_000);
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(4_000);
    await b.stop();
    await run;
  });
});
