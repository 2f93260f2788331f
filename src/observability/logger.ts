import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * The operator's JSON logger. Secrets never reach a log line, by two layers:
 *
 * 1. pino's `redact` paths censor secret-bearing keys at the top level and one level down (what its
 *    path syntax can express without enumerating every depth).
 * 2. A safety net that walks every logged object at any depth (merge objects, child bindings and
 *    serialized errors) and censors the same keys case-insensitively, plus the `data`/`stringData` of
 *    anything that looks like a Kubernetes Secret; and a text scrubber for message strings that
 *    censors `key=value` pairs with secret-bearing keys, bearer tokens and long credential-like
 *    strings.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose value is a secret wherever they appear (compared case-insensitively). */
const SECRET_KEYS: readonly string[] = [
  'accessKeySecret',
  'securityToken',
  'password',
  'newPassword',
  'oldPassword',
  'token',
  'sessionToken',
  'bearerToken',
  'authorization',
  'cookie',
  'privateKey',
  'clientSecret',
  'stringData',
  'x-acs-security-token',
];

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));

/** pino redact paths: each key at the top level and one level down, in both usual casings. */
export function redactPaths(): string[] {
  const simple = SECRET_KEYS.filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
  const cased = simple.flatMap((key) => [key, key[0]!.toUpperCase() + key.slice(1)]);
  const keyPaths = cased.flatMap((key) => [key, `*.${key}`]);
  const secretData = ['secret.data', '*.secret.data', 'secret.stringData', '*.secret.stringData'];
  return [...new Set([...keyPaths, ...secretData])];
}

function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(key.toLowerCase());
}

/** Whether `value` looks like a Kubernetes Secret (or a credentials-bearing object named secret). */
function looksLikeSecret(value: Record<string, unknown>, parentKey: string | undefined): boolean {
  if (value.kind === 'Secret') return true;
  // List items come without kind; a Secret still has metadata, a string type (Opaque, ...) and data.
  if (
    typeof value.type === 'string' &&
    typeof value.metadata === 'object' &&
    ('data' in value || 'stringData' in value)
  )
    return true;
  return (
    parentKey !== undefined && /^secrets?$/i.test(parentKey) && ('data' in value || 'stringData' in value)
  );
}

/**
 * A deep copy of `value` with secret-bearing values censored. Cycles are cut, Errors keep their
 * message and name, and non-plain objects other than arrays and Dates pass through unchanged.
 */
export function scrubSecrets(
  value: unknown,
  parentKey?: string,
  seen: WeakSet<object> = new WeakSet(),
): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, parentKey, seen));
  const record = value as Record<string, unknown>;
  const secretObject = looksLikeSecret(record, parentKey);
  const copy: Record<string, unknown> = {};
  if (value instanceof Error) {
    // The shape pino's err serializer produces, since this runs before it and hands it a plain object.
    copy.type = value.constructor.name;
    copy.message = scrubText(value.message);
    if (value.stack) copy.stack = scrubText(value.stack);
    if (value.cause !== undefined) copy.cause = scrubSecrets(value.cause, 'cause', seen);
  }
  for (const [key, field] of Object.entries(record)) {
    if (isSecretKey(key) || (secretObject && key === 'data'))
      copy[key] = field === undefined ? undefined : REDACTED;
    else copy[key] = scrubSecrets(field, key, seen);
  }
  return copy;
}

const KEY_VALUE_PATTERN = new RegExp(
  `((?:${SECRET_KEYS.map((key) => key.replace(/[-]/g, '\\-')).join('|')})["']?\\s*[:=]\\s*["']?)([^\\s"',&;}]+)`,
  'gi',
);
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
/** 24+ characters of base64 alphabet mixing upper case, lower case and digits: an AccessKey secret or STS token. */
const CREDENTIAL_LIKE_PATTERN = /[A-Za-z0-9+/=]{24,}/g;

/** Censors secrets inside free text (log messages, Event notes, error messages). */
export function scrubText(text: string, knownSecrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(KEY_VALUE_PATTERN, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(BEARER_PATTERN, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(CREDENTIAL_LIKE_PATTERN, (run) =>
      /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) ? REDACTED : run,
    );
}

export interface LoggerSettings {
  level: string;
  /** Where lines go (default: stdout). Tests pass a stream that collects lines. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ component: 'operator' }`. */
  base?: Record<string, unknown>;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: settings.base ?? {},
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => scrubSecrets(object) as Record<string, unknown>,
      bindings: (bindings) => scrubSecrets(bindings) as Record<string, unknown>,
    },
    serializers: {
      // Errors in merge objects were already turned into scrubbed plain objects by `formatters.log`.
      err: (error: unknown) => (error instanceof Error ? scrubSecrets(stdSerializers.err(error)) : error),
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<
          typeof method
        >;
        method.apply(this, scrubbed);
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** What identifies one reconcile pass in the logs. */
export interface ReconcileLogContext {
  /** `namespace/name` of the CrossAccountDelegation. */
  key: string;
  /** Unique per pass, so the lines of concurrent passes can be told apart. */
  reconcileId: string;
}

/** A child logger for one reconcile pass: every line carries the CR key and the pass id. */
export function reconcileLogger(logger: Logger, context: ReconcileLogContext): Logger {
  return logger.child({ delegation: context.key, reconcileId: context.reconcileId });
}

export type { Logger };
