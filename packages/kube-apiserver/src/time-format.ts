/**
 * The two timestamp formats of the Kubernetes API. `metav1.Time` is RFC 3339 with whole seconds (the
 * decoder accepts any RFC 3339). `metav1.MicroTime` (Lease acquireTime/renewTime, events.k8s.io
 * eventTime) is decoded with Go's layout `2006-01-02T15:04:05.000000Z07:00`, which demands exactly six
 * fractional digits: anything else fails to decode, and the real server answers 400.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const RFC3339_MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

/** Now as a metav1.Time: `2026-01-02T03:04:05Z`. */
export function formatTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

export function isMicroTime(value: string): boolean {
  return RFC3339_MICRO.test(value) && !Number.isNaN(Date.parse(value));
}

/** The error text Go's time.Parse gives for a value that does not match the MicroTime layout. */
export function microTimeParseError(value: string): string {
  return `parsing time "${value}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${value.slice(19)}" as ".000000"`;
}

/**
 * A duration as kubectl and the server's Table printers show ages (apimachinery duration.HumanDuration):
 * `45s`, `3m20s`, `25m`, `5h10m`, `3d4h`, `400d`, `3y20d`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 192) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  const days = Math.floor(hours / 24);
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Age of a timestamp for a Table cell; `<unknown>` when absent or unparsable. */
export function ageOf(timestamp: unknown, now: number = Date.now()): string {
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}
