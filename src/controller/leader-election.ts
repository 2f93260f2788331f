import type { CoordinationV1Api, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isConflict, isNotFound, microTime, parseKubeTime } from './kube-clients.js';
import { systemTimers, type Timers } from './work-queue.js';

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
 *
 * - A candidate acquires the Lease when it has no holder or the holder's lease expired
 *   (`renewTime + leaseDurationSeconds` is in the past by this process's clock).
 * - Every write is an update carrying the resourceVersion that was read, so when two candidates race
 *   the API server accepts one and answers 409 to the other: two replicas never both lead.
 * - The leader renews every retry period. If it cannot renew for the renew deadline, or it sees another
 *   holder, it stops leading: `onStoppedLeading` runs and {@link LeaderElector.run} resolves. The
 *   caller should then exit (as controller-runtime does) rather than campaign again with work in flight.
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
  clock?: () => Date;
  timers?: Timers;
  random?: () => number;
  logger?: Logger;
}

type Attempt = 'acquired' | 'held-by-other' | 'failed';

export class LeaderElector {
  private readonly clock: () => Date;
  private readonly timers: Timers;
  private readonly random: () => number;
  private leading = false;
  private stopped = false;
  private lastRenewMs = 0;
  private wake: (() => void) | undefined;
  private sleepTimer: unknown;
  private running: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    if (options.renewDeadlineMs >= options.leaseDurationMs)
      throw new Error('renew deadline must be shorter than the lease duration');
    this.clock = options.clock ?? (() => new Date());
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
  }

  isLeader(): boolean {
    return this.leading;
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
    while (!this.stopped) {
      const attempt = await this.withDeadline(this.tryAcquireOrRenew());
      const nowMs = this.clock().getTime();
      if (attempt === 'acquired') {
        this.lastRenewMs = nowMs;
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
        (attempt === 'held-by-other' || nowMs - this.lastRenewMs >= this.options.renewDeadlineMs)
      ) {
        this.leading = false;
        this.options.logger?.warn(
          { lease: this.leaseKey(), identity: this.options.identity, attempt },
          'lost leadership',
        );
        this.options.onStoppedLeading();
        return;
      }
      if (this.stopped) break;
      // Standbys spread their attempts a little so they do not all hit the API server together.
      const wait = this.leading
        ? this.options.retryPeriodMs
        : Math.round(this.options.retryPeriodMs * (1 + 0.2 * this.random()));
      await this.sleep(wait);
    }
    if (this.leading) {
      await this.release();
      this.leading = false;
      this.options.onStoppedLeading();
    }
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { coordination, namespace, name, identity } = this.options;
    const now = this.clock();
    const leaseDurationSeconds = Math.ceil(this.options.leaseDurationMs / 1000);
    let lease: V1Lease;
    try {
      lease = await coordination.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) return this.failed(error);
      try {
        await coordination.createNamespacedLease({
          namespace,
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds,
              acquireTime: microTime(now),
              renewTime: microTime(now),
              leaseTransitions: 0,
            },
          },
        });
        return 'acquired';
      } catch (createError) {
        return isConflict(createError) ? 'held-by-other' : this.failed(createError);
      }
    }

    const spec: V1LeaseSpec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (holder !== '' && holder !== identity && !this.expired(spec, now)) return 'held-by-other';
    const takeover = holder !== identity;
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
      ? Math.max(1, this.lastRenewMs + this.options.renewDeadlineMs - this.clock().getTime())
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

  /** Whether the holder's lease ran out: `renewTime + leaseDurationSeconds` is not after now. */
  private expired(spec: V1LeaseSpec, now: Date): boolean {
    const renewed = parseKubeTime(spec.renewTime ?? spec.acquireTime);
    if (!renewed || !spec.leaseDurationSeconds) return true;
    return renewed.getTime() + spec.leaseDurationSeconds * 1000 <= now.getTime();
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
