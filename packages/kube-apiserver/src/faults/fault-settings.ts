/**
 * The faults the API server injects, set through `PUT /_kube/faults` (admin only). Zero turns a fault
 * off. A PUT changes only the fields it names; an unknown field, a non-number or a value out of range is
 * a 400 naming the field.
 */
import { badRequest } from '../errors.js';
import { isJsonObject } from '../types.js';

export interface FaultSettings {
  /** Every open watch is cut (connection closed, no final event) this long after it started. */
  watchDropAfterMs: number;
  /** Share (0..1) of non-watch API requests answered 500 InternalError or 503 ServiceUnavailable. */
  errorRate: number;
  /** Share (0..1) of non-watch API requests answered 429 TooManyRequests with a Retry-After header. */
  throttleRate: number;
  /** Added before every API request is handled, in milliseconds. */
  latencyMs: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  watchDropAfterMs: 0,
  errorRate: 0,
  throttleRate: 0,
  latencyMs: 0,
});

const RANGES: Record<keyof FaultSettings, { max: number; description: string }> = {
  watchDropAfterMs: { max: 3_600_000, description: 'a number of milliseconds from 0 to 3600000' },
  errorRate: { max: 1, description: 'a share from 0 to 1' },
  throttleRate: { max: 1, description: 'a share from 0 to 1' },
  latencyMs: { max: 60_000, description: 'a number of milliseconds from 0 to 60000' },
};

/** The settings after applying a PUT body, or a thrown 400 naming the first bad field. */
export function updateFaultSettings(current: Readonly<FaultSettings>, update: unknown): FaultSettings {
  if (!isJsonObject(update)) throw badRequest('the fault settings must be a JSON object');
  const next: FaultSettings = { ...current };
  for (const [field, value] of Object.entries(update)) {
    if (!Object.hasOwn(RANGES, field)) {
      throw badRequest(`unknown fault setting "${field}"; known: ${Object.keys(RANGES).join(', ')}`);
    }
    const name = field as keyof FaultSettings;
    const { max, description } = RANGES[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      throw badRequest(`fault setting "${field}" must be ${description}, got ${JSON.stringify(value)}`);
    }
    next[name] = value;
  }
  return next;
}
