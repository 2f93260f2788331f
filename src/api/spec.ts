import { z } from 'zod';
import { policyDocumentSchema } from './policy-document.js';

/**
 * The CrossAccountDelegation spec. This zod schema is the single source: the TypeScript types, runtime
 * parsing and the CRD's OpenAPI schema (with its CEL rules, carried as `.meta()`) all derive from it.
 * Rules the CRD cannot express (uniqueness across fields, document size) are checked by {@link parseSpec}
 * and surface as a Stalled condition instead of an admission error.
 */

type CelRule = { rule: string; message: string; fieldPath?: string; reason?: string };
/** Attaches CEL `x-kubernetes-validations` to a node of the generated CRD. */
const cel = (...rules: CelRule[]) => ({ 'x-kubernetes-validations': rules });
const immutable = (field: string): CelRule => ({ rule: 'self == oldSelf', message: `${field} is immutable` });

export const ACCOUNT_ID = /^[0-9]{16}$/;
export const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
export const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const GROUP_NAME = /^[A-Za-z0-9.-]{1,64}$/;
export const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;
export const ROLE_ARN = /^acs:ram::[0-9]{16}:role\/[A-Za-z0-9.-]{1,64}$/;
/** A Kubernetes object name (DNS-1123 subdomain). */
export const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const MAX_DESCRIPTION = 1024;
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;
export const MAX_POLICIES = 30;
export const MAX_USERS = 100;

const accountId = z.string().max(16).regex(ACCOUNT_ID, 'must be a 16-digit Alibaba Cloud account ID');
const description = z.string().max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`);
const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(K8S_NAME, 'must be a valid Kubernetes object name (DNS-1123 subdomain)');

export const credentialsSchema = z
  .object({
    /** Secret in the delegation's namespace with keys accessKeyId, accessKeySecret and optional securityToken. */
    secretRef: z.object({ name: k8sName }).strict().optional(),
    /** A role to assume with the base credentials before acting in the account. */
    assumeRoleArn: z
      .string()
      .max(128)
      .regex(ROLE_ARN, 'must look like acs:ram::<16-digit account>:role/<role name>')
      .optional(),
  })
  .strict();

const accountSchema = (field: string) =>
  z
    .object({
      accountId: accountId.meta(cel(immutable(`${field}.accountId`))),
      /** Omitted: the operator's own credential chain (only in namespaces its configuration allows). */
      credentials: credentialsSchema.optional(),
    })
    .strict();

export const trustSchema = z
  .object({
    /** Account: trust B's root (B decides which users may assume). Users: trust only the spec's users. */
    principals: z.enum(['Account', 'Users']).default('Account'),
    /** Adds `Bool acs:MFAPresent = true` to the trust policy. */
    requireMFA: z.boolean().default(false),
  })
  .strict();

export const roleSchema = z
  .object({
    name: z
      .string()
      .min(1, 'must be 1-64 characters')
      .max(64, 'must be 1-64 characters')
      .regex(ROLE_NAME, 'may contain only letters, digits, "." and "-"')
      .meta(cel(immutable('role.name'))),
    description: description.optional(),
    /** Caps the lifetime of every STS token issued for the role. */
    maxSessionDuration: z
      .number()
      .int()
      .min(MIN_SESSION_SECONDS)
      .max(MAX_SESSION_SECONDS)
      .default(MIN_SESSION_SECONDS),
    trust: trustSchema.prefault({}),
  })
  .strict();

export const customPolicySchema = z
  .object({
    name: z
      .string()
      .min(1, 'must be 1-128 characters')
      .max(128, 'must be 1-128 characters')
      .regex(POLICY_NAME, 'may contain only letters, digits and "-"'),
    description: description.optional(),
    document: policyDocumentSchema,
  })
  .strict()
  .meta(cel({ rule: 'has(self.document)', message: 'a custom policy needs a document' }));

export const policyRefSchema = z
  .object({
    /** A system policy by name, e.g. AliyunEventBridgeReadOnlyAccess. */
    system: z
      .string()
      .min(1, 'must be 1-128 characters')
      .max(128, 'must be 1-128 characters')
      .regex(POLICY_NAME, 'may contain only letters, digits and "-"')
      .optional(),
    custom: customPolicySchema.optional(),
  })
  .strict()
  .superRefine((ref, ctx) => {
    if ((ref.system === undefined) === (ref.custom === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of system or custom' });
    }
  })
  .meta(
    cel({ rule: 'has(self.system) != has(self.custom)', message: 'set exactly one of system or custom' }),
  );

export const userSchema = z
  .object({
    name: z
      .string()
      .min(1, 'must be 1-64 characters')
      .max(64, 'must be 1-64 characters')
      .regex(USER_NAME, 'may contain only letters, digits, ".", "_" and "-"'),
    /** Programmatic: an AccessKey. Console: a password and MFA. One mode per user. */
    access: z.enum(['Programmatic', 'Console']),
    /** Console users only; defaults to true for them. */
    mfaRequired: z.boolean().optional(),
    /** Secret the operator writes the user's AccessKey (or initial password) into. */
    credentialsSecretName: k8sName,
  })
  .strict()
  .superRefine((user, ctx) => {
    if (user.access === 'Programmatic' && user.mfaRequired !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mfaRequired'], message: 'applies to Console users only' });
    }
  })
  .meta(
    cel({
      rule: "self.access == 'Console' || !has(self.mfaRequired)",
      message: 'mfaRequired applies to Console users only',
      fieldPath: '.mfaRequired',
    }),
  );

/** Issues a uniqueness check for one key of a list, naming the later duplicate's path. */
function unique<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
  path: (index: number) => (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const value = key(item);
    if (value === undefined) return;
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: path(index),
        message: `duplicate ${what} "${value}" (also at index ${first})`,
      });
    } else {
      seen.set(value, index);
    }
  });
}

export const specSchema = z
  .object({
    /** Enterprise A: owns the resource and the role. */
    owner: accountSchema('owner'),
    /** Enterprise B: the trusted account whose users assume the role. */
    authorized: accountSchema('authorized'),
    role: roleSchema,
    /** What the role may do in A; at least one. */
    policies: z.array(policyRefSchema).min(1, 'at least one policy is required').max(MAX_POLICIES),
    /** B's RAM users who may assume the role. */
    users: z
      .array(userSchema)
      .max(MAX_USERS)
      .default([])
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
    /** Optional: users join this group and the grant is attached to the group. */
    group: z
      .object({ name: z.string().max(64).regex(GROUP_NAME, 'must be 1-64 of letters, digits, "." and "-"') })
      .strict()
      .optional(),
    /** Scoped: a custom policy in B allowing sts:AssumeRole on this role only. SystemPolicy: AliyunSTSAssumeRoleAccess. */
    assumeRoleGrant: z.enum(['Scoped', 'SystemPolicy']).default('Scoped'),
    /** Delete: revoke and remove everything on deletion. Orphan: leave it all in place. */
    deletionPolicy: z.enum(['Delete', 'Orphan']).default('Delete'),
    /** true: revoke now (detach the role's policies) and keep everything else. */
    suspend: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.owner.accountId === spec.authorized.accountId) {
      ctx.addIssue({
        code: 'custom',
        path: ['authorized', 'accountId'],
        message: 'must differ from owner.accountId',
      });
    }
    if (spec.role.trust.principals === 'Users' && spec.users.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['users'],
        message: 'role.trust.principals Users needs at least one user',
      });
    }
    unique(
      spec.users,
      (u) => u.name,
      (i) => ['users', i, 'name'],
      'user name',
      ctx,
    );
    unique(
      spec.users,
      (u) => u.credentialsSecretName,
      (i) => ['users', i, 'credentialsSecretName'],
      'credentialsSecretName',
      ctx,
    );
    unique(
      spec.policies,
      (p) => p.custom?.name,
      (i) => ['policies', i, 'custom', 'name'],
      'custom policy name',
      ctx,
    );
    unique(
      spec.policies,
      (p) => p.system,
      (i) => ['policies', i, 'system'],
      'system policy',
      ctx,
    );
  })
  .meta(
    cel(
      {
        rule: 'self.owner.accountId != self.authorized.accountId',
        message: 'owner and authorized accounts must differ',
        fieldPath: '.authorized.accountId',
      },
      {
        rule: "!has(self.role.trust) || self.role.trust.principals != 'Users' || (has(self.users) && size(self.users) > 0)",
        message: 'role.trust.principals Users needs at least one user',
        fieldPath: '.users',
      },
    ),
  );

/** The spec as written (defaults optional). */
export type CrossAccountDelegationSpecInput = z.input<typeof specSchema>;
/** The spec after parsing: defaults filled in. */
export type CrossAccountDelegationSpec = z.output<typeof specSchema>;
export type DelegationUser = CrossAccountDelegationSpec['users'][number];
export type PolicyRef = CrossAccountDelegationSpec['policies'][number];
export type CustomPolicy = NonNullable<PolicyRef['custom']>;
export type AccountRef = CrossAccountDelegationSpec['owner'];
export type Credentials = NonNullable<AccountRef['credentials']>;
