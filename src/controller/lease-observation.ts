import type { V1LeaseSpec } from '@kubernetes/client-node';

/**
 * When a Lease held by someone else has expired, judged as client-go judges it: from what this process
 * observed, never from the holder's clock. It remembers the Lease record it last saw and the local
 * (monotonic) time it first saw that record; the holder's lease has expired once `leaseDurationSeconds`
 * passed without the record changing. A holder that renews changes `renewTime`, so skew between the
 * holder's clock and ours cannot make a live lease look expired, nor a dead one look alive for long.
 */
export class LeaseObservation {
  private observed: { record: string; at: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** Remembers the record and, when it differs from the last one seen, the local time it was seen. */
  observe(spec: V1LeaseSpec): void {
    const record = recordOf(spec);
    if (this.observed?.record !== record) this.observed = { record, at: this.now() };
  }

  /** Whether the observed holder's lease ran out: no change seen for `leaseDurationSeconds`. */
  expired(spec: V1LeaseSpec): boolean {
    if (!spec.leaseDurationSeconds || !this.observed) return true;
    return this.observed.at + spec.leaseDurationSeconds * 1000 <= this.now();
  }
}

/** The fields of a Lease record that change when its holder renews or hands over. */
function recordOf(spec: V1LeaseSpec): string {
  return JSON.stringify([
    spec.holderIdentity ?? '',
    spec.leaseDurationSeconds ?? 0,
    String(spec.acquireTime ?? ''),
    String(spec.renewTime ?? ''),
    spec.leaseTransitions ?? 0,
  ]);
}
