import { z } from 'zod';

/**
 * The operator's configuration schema: every setting arrives as text (a flag or an environment
 * variable) and is checked and converted here, so a mistake is reported with the flag's name.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `15s`, `10m`, `1h`, `500ms`, or a bare number of seconds. */
const duration = z.string().transform((text, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (e.g. 15s, 10m, 1h)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1_000;
  return Math.round(Number(match[1]) * unit);
});
const positiveDuration = duration.pipe(z.number().int().positive('must be greater than zero'));
const positiveNumber = z.coerce.number().positive('must be a positive number');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));
const hostPort = z.string().transform((text, ctx) => {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not [host]:port` });
    return z.NEVER;
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? undefined : host, port };
});

export const operatorSchema = z
  .object({
    kubeconfig: z.string().min(1).optional(),
    watchNamespace: z.string().min(1).optional(),
    clusterName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,63}$/, 'must be 1-63 of letters, digits, ".", "_" and "-"')
      .default('default'),
    shard: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/,
        'must be 1-42 lowercase letters, digits and "-", starting and ending with a letter or digit',
      )
      .optional(),
    relistPeriod: duration.default(1_800_000),
    workers: z.coerce.number().int('must be an integer').min(1).max(64).default(4),
    resyncPeriod: positiveDuration.default(600_000),
    orphanSweepPeriod: duration.pipe(z.number().int().min(0)).default(3_600_000),
    bindAddress: hostPort.default({ host: undefined, port: 8080 }),
    leaderElect: bool.default(false),
    leaseName: z.string().min(1).default('ram-delegation-operator'),
    leaseNamespace: z.string().min(1).default('default'),
    identity: z.string().min(1).optional(),
    leaseDuration: positiveDuration.default(15_000),
    renewDeadline: positiveDuration.default(10_000),
    retryPeriod: positiveDuration.default(2_000),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    ramEndpoint: z.string().min(1).optional(),
    stsEndpoint: z.string().min(1).optional(),
    protocol: z.enum(['http', 'https']).default('https'),
    region: z.string().min(1).default('cn-hangzhou'),
    accountQps: positiveNumber.default(20),
    accountBurst: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').default(10),
    ownerQps: positiveNumber.optional(),
    authorizedQps: positiveNumber.optional(),
    allowBroadPolicies: bool.default(false),
    expiryWarning: positiveDuration.default(168 * 3_600_000),
    unusedKeyWarning: positiveDuration.default(2160 * 3_600_000),
    credentialChainNamespaces: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      )
      .default([]),
  })
  .superRefine((config, ctx) => {
    if (config.renewDeadline >= config.leaseDuration) {
      ctx.addIssue({
        code: 'custom',
        path: ['renewDeadline'],
        message: 'must be shorter than --lease-duration',
      });
    }
    if (config.retryPeriod >= config.renewDeadline) {
      ctx.addIssue({
        code: 'custom',
        path: ['retryPeriod'],
        message: 'must be shorter than --renew-deadline',
      });
    }
  });

/** A field of the schema, i.e. one setting. */
export type ConfigField = keyof z.input<typeof operatorSchema>;

/** The settings as text, before the schema checks them. */
export type RawConfig = Partial<Record<ConfigField, string>>;
