import type { CrossAccountDelegationSpec } from '../../api/spec.js';
import type { PolicyRef, Tags } from '../../alicloud/ports.js';
import type { Ownership } from '../ownership.js';
import { serializePolicy } from '../policy-compare.js';

/**
 * What account A (the resource owner) should hold for one delegation, derived purely from the spec.
 * Everything here is exactly what the engine sends to RAM, so planning compares against it directly.
 */

export interface DesiredRole {
  name: string;
  /** The spec's description, or "" when it has none (RAM then stores an empty description). */
  description: string;
  maxSessionDuration: number;
  /** The trust policy (AssumeRolePolicyDocument) as compact JSON. */
  trustPolicy: string;
}

export interface DesiredCustomPolicy {
  name: string;
  /** Set when the policy is created; RAM's port offers no update, so it is not enforced afterwards. */
  description: string;
  /** The permission document as compact JSON (see serializePolicy). */
  document: string;
}

export interface DesiredOwner {
  /** Account A. */
  accountId: string;
  /** The role, or undefined when it must not exist (the empty desired state revocation plans against). */
  role: DesiredRole | undefined;
  /** Every custom policy of the spec, in spec order; they exist even while access is revoked. */
  customPolicies: DesiredCustomPolicy[];
  /** Every policy the spec names (system and custom), in spec order, whether or not access is revoked. */
  specPolicies: PolicyRef[];
  /** Exactly the policies that must be attached to the role: `specPolicies`, or none while revoked. */
  attachments: PolicyRef[];
  /**
   * Why access is off while everything else stays (the role keeps existing but has no policies, so no
   * STS token for it is worth anything): `spec.suspend`, or `spec.expiresAt` has passed. Expiry wins.
   */
  accessRevoked: 'suspended' | 'expired' | undefined;
  /** The ownership tag every role and custom policy of this delegation carries. */
  tags: Tags;
}

const ASSUME_ROLE_ACTION = 'sts:AssumeRole';

/**
 * `acs:ram::<A>:role/<name>` as the spec would spell it: only a label for messages before the role
 * exists. The engine uses the ARN RAM returns (which may be lower-cased), never this one.
 */
export function roleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName}`;
}

/**
 * The role's trust policy: account B's root (B then decides which of its identities may assume), or
 * exactly the spec's B users; with `requireMFA`, only sessions signed in with MFA.
 */
function trustPolicyDocument(spec: CrossAccountDelegationSpec): object {
  const b = spec.authorized.accountId;
  const principals =
    spec.role.trust.principals === 'Account'
      ? [`acs:ram::${b}:root`]
      : spec.users.map((user) => `acs:ram::${b}:user/${user.name}`);
  const statement: Record<string, unknown> = {
    Effect: 'Allow',
    Action: ASSUME_ROLE_ACTION,
    Principal: { RAM: principals },
  };
  if (spec.role.trust.requireMFA) statement.Condition = { Bool: { 'acs:MFAPresent': 'true' } };
  return { Version: '1', Statement: [statement] };
}

/** What the spec asks of account A: a role always exists there. */
export type SpecOwner = DesiredOwner & { role: DesiredRole };

/**
 * Account A's desired state. `expired`: `spec.expiresAt` has passed (decided by the caller's clock once
 * per pass; see `DelegationInput.expired`).
 */
export function desiredOwner(
  spec: CrossAccountDelegationSpec,
  ownership: Ownership,
  options: { expired?: boolean | undefined } = {},
): SpecOwner {
  const accessRevoked = options.expired ? 'expired' : spec.suspend ? 'suspended' : undefined;
  const accountId = spec.owner.accountId;
  const customPolicies = spec.policies.flatMap((ref): DesiredCustomPolicy[] =>
    ref.custom
      ? [
          {
            name: ref.custom.name,
            description: ref.custom.description ?? '',
            document: serializePolicy(ref.custom.document),
          },
        ]
      : [],
  );
  const specPolicies = spec.policies.flatMap((ref): PolicyRef[] => {
    if (ref.custom) return [{ policyName: ref.custom.name, policyType: 'Custom' }];
    if (ref.system !== undefined) return [{ policyName: ref.system, policyType: 'System' }];
    return [];
  });
  return {
    accountId,
    role: {
      name: spec.role.name,
      description: spec.role.description ?? '',
      maxSessionDuration: spec.role.maxSessionDuration,
      trustPolicy: serializePolicy(trustPolicyDocument(spec)),
    },
    customPolicies,
    specPolicies,
    attachments: accessRevoked ? [] : specPolicies,
    accessRevoked,
    tags: { [ownership.tagKey]: ownership.tagValue },
  };
}

/**
 * The empty desired state: no role, no custom policy, no attachment. Revocation plans against it, so
 * everything of this delegation that is observed in A is taken away, and nothing else.
 */
export function emptyOwner(desired: DesiredOwner): DesiredOwner {
  return {
    ...desired,
    role: undefined,
    customPolicies: [],
    specPolicies: [],
    attachments: [],
    accessRevoked: undefined,
  };
}
