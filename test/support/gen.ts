/**
 * The one builder of CrossAccountDelegation specs for tests, in the style of cert-manager's `gen`
 * package: a base spec changed by modifiers, e.g.
 *
 *   aDelegation(withRole('ci-role'), withSystemPolicy('AliyunOSSReadOnlyAccess'), withProgrammaticUser('ci'))
 *
 * The base is the seed scenario, exactly `spec` of examples/eventbridge-publisher.yaml (a test checks
 * this): Enterprise A (1111111111111111) lets Enterprise B (2222222222222222) publish to its `orders`
 * bus through role `orders-bus-publisher` with one custom policy, a Programmatic user
 * `orders-publisher` and a Console user `alice`, the scoped grant, deletion policy Delete.
 *
 * `aDelegationSpec` returns the spec as written (a fresh object tests may break on purpose),
 * `aDelegation` the parsed spec (defaults filled in; it throws when the modifiers made it invalid).
 */
import { describeProblems, parseSpec } from '../../src/api/parse.js';
import type { CrossAccountDelegationSpec, CrossAccountDelegationSpecInput } from '../../src/api/spec.js';
import { ownershipOf, type DelegationIdentity } from '../../src/delegation/ownership.js';

export type SpecInput = CrossAccountDelegationSpecInput;
export type SpecModifier = (spec: SpecInput) => void;
type PolicyInput = SpecInput['policies'][number];
export type UserInput = NonNullable<SpecInput['users']>[number];
type PolicyDocumentInput = NonNullable<PolicyInput['custom']>['document'];

export const OWNER_ACCOUNT = '1111111111111111';
export const AUTHORIZED_ACCOUNT = '2222222222222222';
export const ROLE_NAME = 'orders-bus-publisher';
export const ROLE_ARN = `acs:ram::${OWNER_ACCOUNT}:role/${ROLE_NAME}`;
export const CUSTOM_POLICY = 'orders-bus-publish';

/** The delegation every engine test acts for, and the tag and marker it owns entities with. */
export const TEST_IDENTITY: DelegationIdentity = { cluster: 'test', namespace: 'default', name: ROLE_NAME };
export const TEST_OWNERSHIP = ownershipOf(TEST_IDENTITY);

/** A permission document allowing PutEvents on one EventBridge bus of account A. */
export function putEventsDocument(bus = 'orders', accountId = OWNER_ACCOUNT) {
  return {
    Version: '1' as const,
    Statement: [
      {
        Effect: 'Allow' as const,
        Action: ['eventbridge:PutEvents'],
        Resource: [`acs:eventbridge:cn-hangzhou:${accountId}:eventbus/${bus}`],
      },
    ],
  };
}

function seed(): SpecInput {
  return {
    owner: { accountId: OWNER_ACCOUNT, credentials: { secretRef: { name: 'enterprise-a' } } },
    authorized: { accountId: AUTHORIZED_ACCOUNT, credentials: { secretRef: { name: 'enterprise-b' } } },
    role: {
      name: ROLE_NAME,
      description: 'Lets Enterprise B publish to the orders bus',
      maxSessionDuration: 3600,
      trust: { principals: 'Account', requireMFA: false },
    },
    policies: [
      {
        custom: {
          name: CUSTOM_POLICY,
          description: 'PutEvents on the orders bus only',
          document: putEventsDocument(),
        },
      },
    ],
    users: [
      { name: 'orders-publisher', access: 'Programmatic', credentialsSecretName: 'orders-publisher-ak' },
      { name: 'alice', access: 'Console', mfaRequired: true, credentialsSecretName: 'alice-login' },
    ],
    assumeRoleGrant: 'Scoped',
    deletionPolicy: 'Delete',
  };
}

/** The seed spec as written, changed by `modifiers` in order. */
export function aDelegationSpec(...modifiers: SpecModifier[]): SpecInput {
  const spec = seed();
  for (const modify of modifiers) modify(spec);
  return spec;
}

/** The seed spec changed by `modifiers`, parsed as the operator parses it. */
export function aDelegation(...modifiers: SpecModifier[]): CrossAccountDelegationSpec {
  const result = parseSpec(aDelegationSpec(...modifiers));
  if (!result.ok) throw new Error(`the test spec is invalid: ${describeProblems(result.problems)}`);
  return result.value;
}

/** Account A, optionally with other credentials (`undefined`: the operator's own). */
export const withOwner =
  (accountId: string, credentials?: SpecInput['owner']['credentials']): SpecModifier =>
  (spec) => {
    spec.owner = { accountId, ...(credentials ? { credentials } : {}) };
  };

/** Account B, optionally with other credentials (`undefined`: the operator's own). */
export const withAuthorized =
  (accountId: string, credentials?: SpecInput['authorized']['credentials']): SpecModifier =>
  (spec) => {
    spec.authorized = { accountId, ...(credentials ? { credentials } : {}) };
  };

/** Another role name; the other role fields are kept unless given (`description: undefined` drops it). */
export const withRole =
  (name: string, fields: Partial<Omit<SpecInput['role'], 'name'>> = {}): SpecModifier =>
  (spec) => {
    spec.role = { ...spec.role, name, ...fields };
    if ('description' in fields && fields.description === undefined) delete spec.role.description;
  };

export const withTrust =
  (principals: 'Account' | 'Users', requireMFA = false): SpecModifier =>
  (spec) => {
    spec.role.trust = { principals, requireMFA };
  };

/** Exactly these policies (none of the seed's). */
export const withPolicies =
  (...policies: PolicyInput[]): SpecModifier =>
  (spec) => {
    spec.policies = policies;
  };

/** Adds a system policy. */
export const withSystemPolicy =
  (name: string): SpecModifier =>
  (spec) => {
    spec.policies = [...spec.policies, { system: name }];
  };

/** Adds a custom policy, or replaces the one with the same name. */
export const withCustomPolicy =
  (name: string, document: PolicyDocumentInput = putEventsDocument(), description?: string): SpecModifier =>
  (spec) => {
    const custom = { name, document, ...(description !== undefined ? { description } : {}) };
    const others = spec.policies.filter((p) => p.custom?.name !== name);
    spec.policies = [...others, { custom }];
  };

/** Exactly these users (none of the seed's). */
export const withUsers =
  (...users: UserInput[]): SpecModifier =>
  (spec) => {
    spec.users = users;
  };

export const withProgrammaticUser =
  (name: string, credentialsSecretName = `${name}-ak`): SpecModifier =>
  (spec) => {
    spec.users = [...(spec.users ?? []), { name, access: 'Programmatic', credentialsSecretName }];
  };

export const withConsoleUser =
  (name: string, options: { mfaRequired?: boolean; credentialsSecretName?: string } = {}): SpecModifier =>
  (spec) => {
    const credentialsSecretName = options.credentialsSecretName ?? `${name}-login`;
    const mfa = options.mfaRequired !== undefined ? { mfaRequired: options.mfaRequired } : {};
    spec.users = [...(spec.users ?? []), { name, access: 'Console', credentialsSecretName, ...mfa }];
  };

export const withGroup =
  (name: string): SpecModifier =>
  (spec) => {
    spec.group = { name };
  };

export const withGrant =
  (grant: 'Scoped' | 'SystemPolicy'): SpecModifier =>
  (spec) => {
    spec.assumeRoleGrant = grant;
  };

export const suspended: SpecModifier = (spec) => {
  spec.suspend = true;
};

/** Access ends at `expiresAt` (RFC 3339). */
export const expiringAt =
  (expiresAt: string): SpecModifier =>
  (spec) => {
    spec.expiresAt = expiresAt;
  };

/** Gives the user `name` an AccessKey rotation schedule (Go durations). */
export const withKeyRotation =
  (name: string, after: string, gracePeriod: string): SpecModifier =>
  (spec) => {
    const user = spec.users?.find((u) => u.name === name);
    if (!user) throw new Error(`the test spec has no user ${name}`);
    user.accessKeyRotation = { after, gracePeriod };
  };
