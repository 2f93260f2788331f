import { z } from 'zod';

/** metav1.Condition, as kstatus and `kubectl wait --for=condition=...` read it. */
const conditionSchema = z.object({
  type: z.string().min(1).max(316).describe('One of the condition types.'),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().min(1).max(1024).describe('CamelCase; one of the documented reasons.'),
  message: z.string().max(32768).default('').describe('For people; never contains a secret.'),
  observedGeneration: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The metadata.generation this condition was computed for.'),
  lastTransitionTime: z.string().describe('When status last changed (RFC 3339, UTC).'),
});

const userStatusSchema = z.object({
  name: z.string().describe("The user's name in account B."),
  principalName: z
    .string()
    .describe(
      '`<user>@<account alias>.onaliyun.com`: what the user signs in with (the account ID when account B has no alias).',
    ),
  credentialsSecretName: z.string().describe("The Secret holding the user's AccessKey or password."),
  accessKeyCreated: z
    .string()
    .optional()
    .describe(
      'Programmatic users: when the AccessKey in the Secret was created (RFC 3339, as RAM reports it).',
    ),
  accessKeyLastUsed: z
    .string()
    .optional()
    .describe(
      'Programmatic users: when that key last signed a call (`GetAccessKeyLastUsed`, read at most once per resync); absent while it never has. The operator itself uses it only to verify access after a change.',
    ),
  accessKeyUnused: z
    .boolean()
    .optional()
    .describe(
      'True while the key has gone unused (since its last use, or its creation) for longer than `--unused-key-warning`; an `AccessKeyUnused` Event is emitted when it becomes true.',
    ),
});

const names = (what: string) => z.array(z.string()).optional().describe(what);

/**
 * What the delegation created and may still exist, recorded before each create (write-ahead) and
 * dropped only once a delete by name confirmed it gone. Passes and revocation work from it and the spec,
 * never from a listing of the account; see docs/adr/0006-inventory-in-status.md.
 */
const inventorySchema = z
  .object({
    owner: z
      .object({
        roleName: z.string().optional().describe('The role in account A.'),
        roleArn: z.string().optional().describe('The role ARN exactly as RAM returned it.'),
        policies: names('Custom policies in account A.'),
      })
      .optional()
      .describe('Account A.'),
    authorized: z
      .object({
        users: names('RAM users in account B.'),
        groups: names('RAM groups in account B.'),
        policies: names('Custom policies in account B (the scoped AssumeRole grant).'),
      })
      .optional()
      .describe('Account B.'),
  })
  .describe(
    'Every entity this delegation created (or was about to create) that may still exist, by name. Written before a create, trimmed after a confirmed delete; revocation deletes all of it.',
  );

export const statusSchema = z
  .object({
    observedGeneration: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'The generation that is done: Ready, or stalled on something only a person can fix. While a retry is pending it stays behind, so `kubectl wait`, kstatus and Argo CD keep waiting.',
      ),
    roleArn: z
      .string()
      .optional()
      .describe("`acs:ram::<A's account ID>:role/<name>`, once account A matches the spec."),
    users: z
      .array(userStatusSchema)
      .optional()
      .describe("The spec's users, once account B matches the spec."),
    inventory: inventorySchema.optional(),
    expiresAt: z
      .string()
      .optional()
      .describe('When access ends: `spec.expiresAt` in UTC; absent when the delegation does not expire.'),
    expiresSoon: z
      .boolean()
      .optional()
      .describe(
        'True from `--expiry-warning` before `expiresAt` until then; an `ExpiresSoon` Event is emitted when it becomes true.',
      ),
    conditions: z
      .array(conditionSchema)
      .optional()
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
      .describe(
        'metav1.Conditions: `Ready`, `OwnerSynced`, `AuthorizedSynced`, `AccessVerified`; `Reconciling` and `Stalled` while True.',
      ),
  })
  .describe('What the operator found and did, written once per pass.');

export type Condition = z.infer<typeof conditionSchema>;
export type UserStatus = z.infer<typeof userStatusSchema>;
export type CrossAccountDelegationStatus = z.infer<typeof statusSchema>;
export type InventoryStatus = z.infer<typeof inventorySchema>;
