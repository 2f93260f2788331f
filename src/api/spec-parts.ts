import { z } from 'zod';
import { accessKeyRotationSchema } from './lifecycle-fields.js';
import { policyDocumentSchema } from './policy-document.js';

/**
 * The building blocks of the CrossAccountDelegation spec (see spec.ts): formats, limits and the schema of
 * each part. Each carries its CRD rules (CEL `x-kubernetes-validations` through `.meta()`) and its
 * description, from which the CRD and the API reference are generated.
 */

type CelRule = { rule: string; message: string; fieldPath?: string; reason?: string };
/** Attaches CEL `x-kubernetes-validations` to a node of the generated CRD. */
export const cel = (...rules: CelRule[]) => ({ 'x-kubernetes-validations': rules });
const immutable = (field: string): CelRule => ({
  rule: 'self == oldSelf',
  message: `${field} is immutable`,
});

const ACCOUNT_ID = /^[0-9]{16}$/;
const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const GROUP_NAME = /^[A-Za-z0-9.-]{1,64}$/;
export const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;
const ROLE_ARN = /^acs:ram::[0-9]{16}:role\/[A-Za-z0-9.-]{1,64}$/;
/** A Kubernetes object name (DNS-1123 subdomain). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const MAX_DESCRIPTION = 1024;
const MIN_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 43200;
export const MAX_POLICIES = 30;
export const MAX_USERS = 100;

const accountId = z.string().max(16).regex(ACCOUNT_ID, 'must be a 16-digit Alibaba Cloud account ID');
const description = z.string().max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`);
const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(K8S_NAME, 'must be a valid Kubernetes object name (DNS-1123 subdomain)');

const credentialsSchema = z
  .object({
    secretRef: z
      .object({ name: k8sName.describe("The Secret's name.") })
      .strict()
      .optional()
      .describe(
        "A Secret in the delegation's namespace with the keys `accessKeyId`, `accessKeySecret` and optional `securityToken`. It carries a finalizer while a delegation uses it.",
      ),
    assumeRoleArn: z
      .string()
      .max(128)
      .regex(ROLE_ARN, 'must look like acs:ram::<16-digit account>:role/<role name>')
      .optional()
      .describe(
        'A role in this account to assume (STS `AssumeRole`) with the base credentials before acting.',
      ),
  })
  .strict();

export const accountSchema = (field: string, account: string, accountIdRule: string) =>
  z
    .object({
      accountId: accountId
        .meta(cel(immutable(`${field}.accountId`)))
        .describe(`${account}'s 16-digit Alibaba Cloud account ID. ${accountIdRule}`),
      credentials: credentialsSchema
        .optional()
        .describe(
          "How the operator signs in to this account. Omitted: the operator's own credential chain (environment AccessKey, RRSA's OIDC token, ECS RAM role), allowed only in the namespaces given to `--credential-chain-namespaces`.",
        ),
    })
    .strict();

const trustSchema = z
  .object({
    principals: z
      .enum(['Account', 'Users'])
      .default('Account')
      .describe(
        "`Account`: trust B's root account, and B decides which of its users may assume the role. `Users`: trust exactly the spec's users.",
      ),
    requireMFA: z
      .boolean()
      .default(false)
      .describe(
        'Adds `Bool acs:MFAPresent = true` to the trust policy: only sessions signed in with MFA may assume.',
      ),
  })
  .strict()
  .describe("Who the role's trust policy lets assume it.");

export const roleSchema = z
  .object({
    name: z
      .string()
      .min(1, 'must be 1-64 characters')
      .max(64, 'must be 1-64 characters')
      .regex(ROLE_NAME, 'may contain only letters, digits, "." and "-"')
      .meta(cel(immutable('role.name')))
      .describe("The role's name in account A."),
    description: description.optional().describe("The role's description in RAM."),
    maxSessionDuration: z
      .number()
      .int()
      .min(MIN_SESSION_SECONDS)
      .max(MAX_SESSION_SECONDS)
      .default(MIN_SESSION_SECONDS)
      .describe('Seconds; caps the lifetime of every STS token issued for the role.'),
    trust: trustSchema.prefault({}),
  })
  .strict()
  .describe("The RAM role in account A that B's identities assume.");

const customPolicySchema = z
  .object({
    name: z
      .string()
      .min(1, 'must be 1-128 characters')
      .max(128, 'must be 1-128 characters')
      .regex(POLICY_NAME, 'may contain only letters, digits and "-"')
      .describe("The policy's name in account A."),
    description: description.optional().describe("The policy's description in RAM."),
    document: policyDocumentSchema,
  })
  .strict()
  .meta(cel({ rule: 'has(self.document)', message: 'a custom policy needs a document' }))
  .describe(
    "A custom policy the operator creates in account A and tags with the delegation's ownership marker. A changed document becomes the policy's new default version.",
  );

export const policyRefSchema = z
  .object({
    system: z
      .string()
      .min(1, 'must be 1-128 characters')
      .max(128, 'must be 1-128 characters')
      .regex(POLICY_NAME, 'may contain only letters, digits and "-"')
      .optional()
      .describe('A system policy by name, e.g. `AliyunEventBridgeReadOnlyAccess`.'),
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
      .regex(USER_NAME, 'may contain only letters, digits, ".", "_" and "-"')
      .describe("The RAM user's name in account B; it signs in as `<name>@<B's account ID>.onaliyun.com`."),
    access: z
      .enum(['Programmatic', 'Console'])
      .describe(
        '`Programmatic`: one AccessKey. `Console`: a password that must be reset at the first sign-in. One mode per user.',
      ),
    mfaRequired: z
      .boolean()
      .optional()
      .describe('Console users only, and true for them when omitted: the user must bind an MFA device.'),
    credentialsSecretName: k8sName.describe(
      "A Secret in the delegation's namespace that the operator writes and owns: `accessKeyId` and `accessKeySecret` (Programmatic), or `userPrincipalName` and `password` (Console). Deleted with the delegation.",
    ),
    accessKeyRotation: accessKeyRotationSchema.optional(),
  })
  .strict()
  .superRefine((user, ctx) => {
    if (user.access === 'Programmatic' && user.mfaRequired !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mfaRequired'], message: 'applies to Console users only' });
    }
    if (user.access === 'Console' && user.accessKeyRotation !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessKeyRotation'],
        message: 'applies to Programmatic users only',
      });
    }
  })
  .meta(
    cel(
      {
        rule: "self.access == 'Console' || !has(self.mfaRequired)",
        message: 'mfaRequired applies to Console users only',
        fieldPath: '.mfaRequired',
      },
      {
        rule: "self.access == 'Programmatic' || !has(self.accessKeyRotation)",
        message: 'accessKeyRotation applies to Programmatic users only',
        fieldPath: '.accessKeyRotation',
      },
    ),
  );
