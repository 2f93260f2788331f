import { z } from 'zod';

/**
 * The spec fields that put a delegation on a clock: `expiresAt` (when access ends) and a Programmatic
 * user's `accessKeyRotation` (when its AccessKey is replaced). Their values are Kubernetes-style: an
 * RFC 3339 time, and Go durations (`2160h`, `30s`, `1h30m`), the syntax `kubectl` users already know.
 */

/** A Go duration (`time.ParseDuration`): one or more `<number><unit>`, units ns, us, µs, ms, s, m, h. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds in a Go duration, or undefined when `text` is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, number, , unit] of text.matchAll(/([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(number) * (UNIT_MS[unit!] ?? NaN);
  }
  return Math.round(total);
}

/** The shortest rotation interval or grace period: shorter ones would rotate faster than RAM settles. */
const MIN_ROTATION_MS = 10_000;

const rotationDuration = (what: string) =>
  z
    .string()
    .max(32)
    .regex(GO_DURATION, 'must be a Go duration such as 2160h, 24h or 30s')
    .refine((text) => (parseGoDuration(text) ?? 0) >= MIN_ROTATION_MS, 'must be at least 10s')
    .meta({
      format: 'duration',
      'x-kubernetes-validations': [{ rule: "self >= duration('10s')", message: 'must be at least 10s' }],
    })
    .describe(what);

export const accessKeyRotationSchema = z
  .object({
    after: rotationDuration(
      'Rotate once the active AccessKey is older than this: a second key is created and the Secret is updated to it.',
    ),
    gracePeriod: rotationDuration(
      'How long the previous key keeps working after the Secret holds the new one; it is then deactivated, and deleted one more grace period later.',
    ),
  })
  .strict()
  .describe(
    'Programmatic users only: replace the AccessKey on a schedule. Never more than two keys exist; a rotation waits until the previous one has finished, unless the annotation `ram-delegation.dev/rotate-access-keys` asks for one.',
  );

export type AccessKeyRotation = z.output<typeof accessKeyRotationSchema>;

/** Whether `text` is an RFC 3339 date-time with a time zone (`Z` or an offset), as Kubernetes stores times. */
function isRfc3339(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!match) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
  );
}

export const expiresAtSchema = z
  .string()
  .max(64)
  .refine(isRfc3339, 'must be an RFC 3339 time with a time zone, e.g. 2027-03-31T00:00:00Z')
  .meta({ format: 'date-time' })
  .describe(
    'When access ends (RFC 3339). At that second the role loses its policies as with `suspend`, and Ready becomes False with reason `Expired`. Moving it later, or removing it, grants access again.',
  );
