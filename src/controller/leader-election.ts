import type { CoordinationV1Api, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isConflict, isNotFound, microTime, parseKubeTime } from './kube-clients.js';
import { LeaseObservation } from './lease-observation.js';
import { systemTimers, type Timers } from './timing.js';

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
 *
 * - Expiry is judged from what this process observed, never from the holder's clock
 *   ({@link LeaseObservation}): clock skew between nodes cannot hand over a live lease.
 * - Every write is an update carrying the resourceVersion that was read, so when two candidates race
 *   the API server accepts one and answers 409 to the other: two replicas never both lead.
 * - The leader renews every retry period. The moment its renew deadline passes (measured from the start
 *   of its last successful renewal) or it sees another holder, it stops leading: {@link signal} is
 *   aborted, `onStoppedLeading` runs and {@link LeaderElector.run} resolves. Work that checks the signal
 *   (every cloud call does) stops before any other replica can observe the lease as expired, which
 *   takes at least the lease duration. The caller should then exit (as controller-runtime does) rather
 *   than campaign again.
 * - {@link LeaderElector.stop} releases the Lease (clears holderIdentity, 1 s duration) so a standby
 *   takes over at once instead of waiting for the lease to expire.
 *
 * Safety depends on leaseDuration > renewDeadline: a leader gives up before anyone may take over.
 */

export interface LeaderElectionOptions {
  coordination: CoordinationV1Api;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Runs when this process becomes leader: start the workers. Must not throw. */
  onStartedLeading: () => void;
  /** Runs when this process stops leading (lost or released): stop the workers. Must not throw. */
  onStoppedLeading: () => void;
  /** Wall-clock time written into the Lease (acquireTime, renewTime). */
  clock?: () => Date;
  /** Timers; their `now` measures durations (default: the monotonic `performance.now`). */
  timers?: Timers;
  random?: () => number;
  logger?: Logger;
}

/** The reason {@link LeaderElector.signal} is aborted with. */
export class LeadershipLostError extends Error {
  override name = 'LeadershipLostError';
}

type Attempt = 'acquired' | 'held-by-other' | 'failed';

export class LeaderElector {
  private readonly clock: () => Date;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly lost = new AbortController();
  private leading = false;
  private stopped = false;
  /** Start of the last successful acquire or renew, in `now` time. */
  private lastRenewMs = 0;
  private deadlineTimer: unknown;
  /** The Lease record last seen, and since when: decides when another holder's lease expired. */
  private readonly observation: LeaseObservation;
  private wake: (() => void) | undefined;
  private sleepTimer: unknown;
  private running: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    if (options.renewDeadlineMs >= options.leaseDurationMs)
      throw new Error('renew deadline must be shorter than the lease duration');
    this.clock = options.clock ?? (() => new Date());
    this.timers = options.timers ?? systemTimers;
    this.now = options.timers ? () => this.timers.now() : () => performance.now();
    this.observation = new LeaseObservation(this.now);
    this.random = options.random ?? Math.random;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Aborted the moment leadership is lost (renew deadline passed, or another holder seen), with a
   * {@link LeadershipLostError}. Not aborted by {@link stop}, which lets in-flight work finish.
   */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  /** Campaigns, then leads; resolves when leadership is lost or {@link stop} was called. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops campaigning and releases the Lease if held. Resolves once {@link run} has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sleepTimer !== undefined) this.timers.clearTimeout(this.sleepTimer);
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.lost.signal.aborted) {
      const startedAt = this.now();
      const attempt = await this.withDeadline(this.tryAcquireOrRenew());
      if (this.lost.signal.aborted) return;
      if (attempt === 'acquired') {
        this.renewed(startedAt);
        if (!this.leading) {
          this.leading = true;
          this.options.logger?.info(
            { lease: this.leaseKey(), identity: this.options.identity },
            'became leader',
          );
          this.options.onStartedLeading();
        }
      } else if (
        this.leading &&
        (attempt === 'held-by-other' || this.now() - this.lastRenewMs >= this.options.renewDeadlineMs)
      ) {
        this.loseLeadership(attempt === 'held-by-other' ? 'another holder' : 'renew deadline passed');
        return;
      }
      if (this.stopped) break;
      // Standbys spread their attempts a little so they do not all hit the API server together.
      const wait = this.leading
        ? this.options.retryPeriodMs
        : Math.round(this.options.retryPeriodMs * (1 + 0.2 * this.random()));
      await this.sleep(wait);
    }
    if (this.leading && !this.lost.signal.aborted) {
      this.clearDeadline();
      await this.release();
      this.leading = false;
      this.options.onStoppedLeading();
    }
  }

  /** Records a successful renewal that started at `startedAt` and re-arms the renew deadline. */
  private renewed(startedAt: number): void {
    this.lastRenewMs = startedAt;
    this.clearDeadline();
    const remaining = Math.max(0, startedAt + this.options.renewDeadlineMs - this.now());
    this.deadlineTimer = this.timers.setTimeout(() => {
      this.deadlineTimer = undefined;
      if (this.leading) this.loseLeadership('renew deadline passed');
    }, remaining);
  }

  private clearDeadline(): void {
    if (this.deadlineTimer !== undefined) this.timers.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  /** Stops leading at once: aborts the signal first, so no new cloud call starts, then tells the caller. */
  private loseLeadership(why: string): void {
    if (this.lost.signal.aborted) return;
    this.clearDeadline();
    this.lost.abort(new LeadershipLostError(`lost the lease ${this.leaseKey()}: ${why}`));
    this.leading = false;
    this.options.logger?.warn(
      { lease: this.leaseKey(), identity: this.options.identity, why },
      'lost leadership',
    );
    this.options.onStoppedLeading();
    if (this.sleepTimer !== undefined) this.timers.clearTimeout(this.sleepTimer);
    this.wake?.();
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { coordination, namespace, name, identity } = this.options;
    const leaseDurationSeconds = Math.ceil(this.options.leaseDurationMs / 1000);
    let lease: V1Lease;
    try {
      lease = await coordination.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) return this.failed(error);
      const now = this.clock();
      const spec: V1LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      };
      try {
        await coordination.createNamespacedLease({
          namespace,
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec },
        });
        this.observation.observe(spec);
        return 'acquired';
      } catch (createError) {
        return isConflict(createError) ? 'held-by-other' : this.failed(createError);
      }
    }

    const spec: V1LeaseSpec = lease.spec ?? {};
    this.observation.observe(spec);
    const holder = spec.holderIdentity ?? '';
    if (holder !== '' && holder !== identity && !this.observation.expired(spec)) return 'held-by-other';
    const takeover = holder !== identity;
    const now = this.clock();
    const next: V1LeaseSpec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: microTime(now),
      acquireTime: takeover ? microTime(now) : microTime(parseKubeTime(spec.acquireTime) ?? now),
      leaseTransitions: takeover ? (spec.leaseTransitions ?? 0) + 1 : (spec.leaseTransitions ?? 0),
    };
    try {
      await coordination.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: next } });
      this.observation.observe(next);
      return 'acquired';
    } catch (error) {
      return isConflict(error) ? 'held-by-other' : this.failed(error);
    }
  }

  /**
   * Bounds one attempt: a request that hangs must not keep a leader believing it leads past its renew
   * deadline (the lease would expire and someone else would lead too). A late answer is ignored.
   */
  private withDeadline(attempt: Promise<Attempt>): Promise<Attempt> {
    const remaining = this.leading
      ? Math.max(1, this.lastRenewMs + this.options.renewDeadlineMs - this.now())
      : this.options.renewDeadlineMs;
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => resolve('failed'), remaining);
      const settle = (result: Attempt) => {
        this.timers.clearTimeout(timer);
        resolve(result);
      };
      attempt.then(settle, (error: unknown) => settle(this.failed(error)));
    });
  }

  private async release(): Promise<void> {
    const { coordination, namespace, name, identity } = this.options;
    try {
      const lease = await coordination.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.clock());
      await coordination.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: '',
            leaseDurationSeconds: 1,
            renewTime: now,
            acquireTime: now,
          },
        },
      });
      this.options.logger?.info({ lease: this.leaseKey(), identity }, 'released leadership');
    } catch (error) {
      this.options.logger?.warn(
        { err: error, lease: this.leaseKey() },
        'could not release the lease; it will expire',
      );
    }
  }

  private failed(error: unknown): Attempt {
    this.options.logger?.warn({ err: error, lease: this.leaseKey() }, 'lease request failed');
    return 'failed';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.sleepTimer = undefined;
        resolve();
      };
      this.sleepTimer = this.timers.setTimeout(() => this.wake?.(), ms);
    });
  }

  private leaseKey(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }
}
