import { z } from 'zod';
import {
  GROUP_NAME,
  MAX_POLICIES,
  MAX_USERS,
  accountSchema,
  cel,
  policyRefSchema,
  roleSchema,
  userSchema,
} from './spec-parts.js';
import { expiresAtSchema } from './lifecycle-fields.js';

export { POLICY_NAME } from './spec-parts.js';

/**
 * The CrossAccountDelegation spec. This zod schema is the single source: the TypeScript types, runtime
 * parsing and the CRD's OpenAPI schema (with its CEL rules, carried as `.meta()`) all derive from it.
 * Rules the CRD cannot express (uniqueness across fields, document size) are checked by {@link parseSpec}
 * and surface as a Stalled condition instead of an admission error.
 */

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
    owner: accountSchema('owner', 'Enterprise A', 'The role and its policies live here.').describe(
      'Enterprise A: the account that owns the resource and the role.',
    ),
    authorized: accountSchema(
      'authorized',
      'Enterprise B',
      'Must differ from `owner.accountId`; changing a trusted account is a privilege change, hence immutable.',
    ).describe('Enterprise B: the trusted account whose RAM users assume the role.'),
    role: roleSchema,
    policies: z
      .array(policyRefSchema)
      .min(1, 'at least one policy is required')
      .max(MAX_POLICIES)
      .describe(
        'What the role may do in account A. Exactly these are attached to the role; anything attached out of band is detached. Names are unique (checked when reconciling: `InvalidSpec`).',
      ),
    users: z
      .array(userSchema)
      .max(MAX_USERS)
      .default([])
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
      .describe(
        "B's RAM users who may assume the role. Names and `credentialsSecretName`s are unique (checked when reconciling: `InvalidSpec`). Users removed from the list are deleted.",
      ),
    group: z
      .object({
        name: z
          .string()
          .max(64)
          .regex(GROUP_NAME, 'must be 1-64 of letters, digits, "." and "-"')
          .describe("The group's name in account B."),
      })
      .strict()
      .optional()
      .describe(
        'The users join this RAM group in account B, and the grant is attached to the group instead.',
      ),
    assumeRoleGrant: z
      .enum(['Scoped', 'SystemPolicy'])
      .default('Scoped')
      .describe(
        "How B's users are allowed to call `sts:AssumeRole`. `Scoped`: a custom policy in B allowing it on this role's ARN only. `SystemPolicy`: `AliyunSTSAssumeRoleAccess` (any role).",
      ),
    deletionPolicy: z
      .enum(['Delete', 'Orphan'])
      .default('Delete')
      .describe(
        "What deleting the delegation does. `Delete`: revoke access first (detach the role's policies), then remove everything the delegation created in both accounts. `Orphan`: leave it all in place.",
      ),
    suspend: z
      .boolean()
      .default(false)
      .describe(
        "`true`: revoke access now by detaching the role's policies, and keep everything else. `false` attaches them again.",
      ),
    expiresAt: expiresAtSchema.optional(),
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
  )
  .describe(
    'The desired delegation: the role in account A, what it may do, and which users of account B may assume it.',
  );

/** The spec as written (defaults optional). */
export type CrossAccountDelegationSpecInput = z.input<typeof specSchema>;
/** The spec after parsing: defaults filled in. */
export type CrossAccountDelegationSpec = z.output<typeof specSchema>;
export type DelegationUser = CrossAccountDelegationSpec['users'][number];
export type AccountRef = CrossAccountDelegationSpec['owner'];
export type { AccessKeyRotation } from './lifecycle-fields.js';
