/**
 * `spec.expiresAt` against a clock: whether access has ended, whether the end is near enough to warn,
 * and when either changes next, so a pass can be scheduled for that very second instead of waiting
 * for the next resync. Pure: the caller reads its clock once per pass and passes it in.
 */

export interface Expiry {
  /** `spec.expiresAt` in UTC (RFC 3339), or undefined when the delegation does not expire. */
  expiresAt: string | undefined;
  /** The time has come: the role loses its policies, Ready is False with reason Expired. */
  expired: boolean;
  /** Within the warning period before the time (and not expired yet). */
  expiresSoon: boolean;
  /** When `expired` or `expiresSoon` changes next; undefined when neither will. */
  changesAt: Date | undefined;
}

/** RFC 3339 in UTC, whole seconds without a fraction (as Kubernetes writes times), else milliseconds. */
export function utcTime(at: Date): string {
  return at.toISOString().replace(/\.000Z$/, 'Z');
}

export function expiryOf(expiresAt: string | undefined, now: Date, warningMs: number): Expiry {
  const end = expiresAt === undefined ? NaN : Date.parse(expiresAt);
  if (Number.isNaN(end))
    return { expiresAt: undefined, expired: false, expiresSoon: false, changesAt: undefined };
  const warnFrom = end - warningMs;
  const at = now.getTime();
  const expired = at >= end;
  const expiresSoon = !expired && at >= warnFrom;
  const changesAt = expired ? undefined : new Date(expiresSoon ? end : warnFrom);
  return { expiresAt: utcTime(new Date(end)), expired, expiresSoon, changesAt };
}
