import { ApiError, NO_MODEL_FAULTS, type ModelFaults } from '../contract.js';

/**
 * The faults the emulator injects into RAM, STS and EventBridge calls (never into `/_emulator` routes).
 * Zero turns a fault off. The wire layer acts on the first five; the model faults (lags, lower-cased
 * ARNs; see ModelFaults) are forwarded to the cloud model.
 */
export interface FaultSettings extends ModelFaults {
  /** Added to every call before it is answered, in milliseconds. */
  latencyMs: number;
  /** Share of calls (0..1) answered Throttling.User. */
  throttleRate: number;
  /** Share of calls (0..1) answered 500 InternalError or 503 ServiceUnavailable. */
  errorRate: number;
  /** Calls per second allowed per caller account (token bucket, burst of one second); 0 = unlimited. */
  qpsPerAccount: number;
  /** The `x-acs-retry-after` (ms) sent with a throttleRate refusal; qpsPerAccount computes its own. */
  throttleRetryAfterMs: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  throttleRate: 0,
  errorRate: 0,
  qpsPerAccount: 0,
  throttleRetryAfterMs: 1000,
  ...NO_MODEL_FAULTS,
});

/** The model faults among the settings, as the cloud model takes them. */
export function modelFaultsOf(settings: Readonly<FaultSettings>): ModelFaults {
  const { consistencyLagMs, tagLagMs, authorizationLagMs, lowercaseArns } = settings;
  return { consistencyLagMs, tagLagMs, authorizationLagMs, lowercaseArns };
}

interface FieldRule {
  max: number;
  /** Only whole numbers are accepted. */
  integer?: boolean;
  description: string;
}

const LAG: FieldRule = { max: 300_000, description: 'a number of milliseconds from 0 to 300000' };

const RULES: Record<keyof FaultSettings, FieldRule> = {
  latencyMs: { max: 60_000, description: 'a number of milliseconds from 0 to 60000' },
  throttleRate: { max: 1, description: 'a share from 0 to 1' },
  errorRate: { max: 1, description: 'a share from 0 to 1' },
  qpsPerAccount: { max: 1_000_000, description: 'a number of calls per second from 0 to 1000000' },
  throttleRetryAfterMs: { max: 3_600_000, description: 'a number of milliseconds from 0 to 3600000' },
  consistencyLagMs: LAG,
  tagLagMs: LAG,
  authorizationLagMs: LAG,
  lowercaseArns: { max: 1, integer: true, description: '0 (off) or 1 (on)' },
};

function invalid(field: string, message: string): ApiError {
  return new ApiError(`InvalidParameter.${field}`, 400, message);
}

/**
 * Applies a partial update (the body of `PUT /_emulator/faults`) to the current settings. Only the given
 * fields change; an unknown field or a value out of range is a 400 naming the field.
 */
export function updateFaultSettings(current: Readonly<FaultSettings>, update: unknown): FaultSettings {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    throw new ApiError('InvalidParameter.Body', 400, 'The fault settings must be a JSON object.');
  }
  const next: FaultSettings = { ...current };
  for (const [field, value] of Object.entries(update)) {
    if (!Object.hasOwn(RULES, field)) {
      throw invalid(field, `Unknown fault setting "${field}"; known: ${Object.keys(RULES).join(', ')}.`);
    }
    const name = field as keyof FaultSettings;
    const rule = RULES[name];
    const inRange = typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= rule.max;
    if (!inRange || (rule.integer === true && !Number.isInteger(value))) {
      throw invalid(field, `The fault setting "${field}" must be ${rule.description}.`);
    }
    next[name] = value;
  }
  return next;
}
