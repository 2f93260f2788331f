/** Every runtime validation rule of the spec, one invalid spec each: the field it must name and a phrase. */
import { describe, expect, it } from 'vitest';
import { describeProblems, parseSpec } from '../../../src/api/index.js';
import { aDelegationSpec } from '../../support/gen.js';

/** The seed spec as loose JSON, to break on purpose. */
const seedSpec = (): Record<string, any> => aDelegationSpec();

type Spec = Record<string, any>;
const statement = (extra: Spec = {}) => ({ Effect: 'Allow', Action: 'ram:GetRole', Resource: '*', ...extra });
const customPolicy = (name: string, document: unknown = { Version: '1', Statement: [statement()] }) => ({
  custom: { name, document },
});

/** One invalid spec per rule: how to break the seed spec, the field the error must name, and a phrase. */
const invalid: [rule: string, mutate: (s: Spec) => void, field: string, phrase: RegExp][] = [
  ['owner account id too short', (s) => (s.owner.accountId = '111'), 'spec.owner.accountId', /16-digit/],
  [
    'owner account id with letters',
    (s) => (s.owner.accountId = '11111111111111aa'),
    'spec.owner.accountId',
    /16-digit/,
  ],
  ['owner account id missing', (s) => delete s.owner.accountId, 'spec.owner.accountId', /expected string/],
  [
    'authorized account id 17 digits',
    (s) => (s.authorized.accountId = '22222222222222222'),
    'spec.authorized.accountId',
    /16/,
  ],
  [
    'authorized account id a number',
    (s) => (s.authorized.accountId = 2222222222222222),
    'spec.authorized.accountId',
    /expected string/,
  ],
  [
    'accounts equal',
    (s) => (s.authorized.accountId = s.owner.accountId),
    'spec.authorized.accountId',
    /differ/,
  ],
  ['owner missing', (s) => delete s.owner, 'spec.owner', /expected object/],
  [
    'credentials secretRef name invalid',
    (s) => (s.owner.credentials.secretRef.name = 'Enterprise_A'),
    'spec.owner.credentials.secretRef.name',
    /Kubernetes object name/,
  ],
  [
    'assumeRoleArn malformed',
    (s) => (s.owner.credentials.assumeRoleArn = 'arn:aws:iam::1:role/x'),
    'spec.owner.credentials.assumeRoleArn',
    /acs:ram::/,
  ],
  [
    'unknown field in credentials',
    (s) => (s.authorized.credentials.password = 'x'),
    'spec.authorized.credentials',
    /Unrecognized key.*password/,
  ],
  ['role name empty', (s) => (s.role.name = ''), 'spec.role.name', /1-64/],
  ['role name 65 characters', (s) => (s.role.name = 'r'.repeat(65)), 'spec.role.name', /1-64/],
  ['role name with underscore', (s) => (s.role.name = 'orders_bus'), 'spec.role.name', /letters, digits/],
  [
    'role description too long',
    (s) => (s.role.description = 'd'.repeat(1025)),
    'spec.role.description',
    /1024/,
  ],
  [
    'maxSessionDuration below 3600',
    (s) => (s.role.maxSessionDuration = 900),
    'spec.role.maxSessionDuration',
    />=3600/,
  ],
  [
    'maxSessionDuration above 43200',
    (s) => (s.role.maxSessionDuration = 43201),
    'spec.role.maxSessionDuration',
    /<=43200/,
  ],
  [
    'maxSessionDuration fractional',
    (s) => (s.role.maxSessionDuration = 3600.5),
    'spec.role.maxSessionDuration',
    /int/,
  ],
  [
    'trust principals unknown',
    (s) => (s.role.trust.principals = 'Everyone'),
    'spec.role.trust.principals',
    /Account.*Users/,
  ],
  [
    'trust Users without users',
    (s) => ((s.role.trust.principals = 'Users'), (s.users = [])),
    'spec.users',
    /at least one user/,
  ],
  [
    'requireMFA not a boolean',
    (s) => (s.role.trust.requireMFA = 'yes'),
    'spec.role.trust.requireMFA',
    /boolean/,
  ],
  ['no policies', (s) => (s.policies = []), 'spec.policies', /at least one policy/],
  [
    'policy with neither system nor custom',
    (s) => (s.policies = [{}]),
    'spec.policies[0]',
    /exactly one of system or custom/,
  ],
  [
    'policy with both system and custom',
    (s) => (s.policies[0].system = 'AliyunEventBridgeReadOnlyAccess'),
    'spec.policies[0]',
    /exactly one/,
  ],
  [
    'system policy name with spaces',
    (s) => (s.policies = [{ system: 'Admin Access' }]),
    'spec.policies[0].system',
    /letters, digits/,
  ],
  [
    'custom policy name with dot',
    (s) => (s.policies[0].custom.name = 'orders.publish'),
    'spec.policies[0].custom.name',
    /letters, digits and "-"/,
  ],
  [
    'custom policy name 129 characters',
    (s) => (s.policies[0].custom.name = 'p'.repeat(129)),
    'spec.policies[0].custom.name',
    /1-128/,
  ],
  [
    'custom policy without document',
    (s) => delete s.policies[0].custom.document,
    'spec.policies[0].custom.document',
    /expected object/,
  ],
  [
    'document version 2',
    (s) => (s.policies[0].custom.document.Version = '2'),
    'spec.policies[0].custom.document.Version',
    /"1"/,
  ],
  [
    'document with empty Statement',
    (s) => (s.policies[0].custom.document.Statement = []),
    'spec.policies[0].custom.document.Statement',
    />=1/,
  ],
  [
    'statement Effect Maybe',
    (s) => (s.policies[0].custom.document.Statement[0].Effect = 'Maybe'),
    'spec.policies[0].custom.document.Statement[0].Effect',
    /Allow.*Deny/,
  ],
  [
    'statement without Action',
    (s) => delete s.policies[0].custom.document.Statement[0].Action,
    'spec.policies[0].custom.document.Statement[0].Action',
    /non-empty string or a non-empty list/,
  ],
  [
    'statement with empty Action list',
    (s) => (s.policies[0].custom.document.Statement[0].Action = []),
    'spec.policies[0].custom.document.Statement[0].Action',
    /non-empty string or a non-empty list|>=1/,
  ],
  [
    'statement without Resource',
    (s) => delete s.policies[0].custom.document.Statement[0].Resource,
    'spec.policies[0].custom.document.Statement[0].Resource',
    /non-empty string or a non-empty list/,
  ],
  [
    'statement with unknown key',
    (s) => (s.policies[0].custom.document.Statement[0].Principal = { RAM: '*' }),
    'spec.policies[0].custom.document.Statement[0]',
    /Principal/,
  ],
  [
    'condition operator not a map',
    (s) => (s.policies[0].custom.document.Statement[0].Condition = { Bool: true }),
    'spec.policies[0].custom.document.Statement[0].Condition.Bool',
    /expected record/,
  ],
  [
    'document over 6144 characters',
    (s) =>
      (s.policies[0].custom.document.Statement = Array.from({ length: 60 }, (_, i) =>
        statement({ Resource: `acs:eventbridge:*:*:eventbus/${'b'.repeat(100)}${i}` }),
      )),
    'spec.policies[0].custom.document',
    /6144/,
  ],
  [
    'duplicate custom policy names',
    (s) => s.policies.push(customPolicy('orders-bus-publish')),
    'spec.policies[1].custom.name',
    /duplicate custom policy name/,
  ],
  [
    'duplicate system policies',
    (s) =>
      s.policies.push(
        { system: 'AliyunEventBridgeReadOnlyAccess' },
        { system: 'AliyunEventBridgeReadOnlyAccess' },
      ),
    'spec.policies[2].system',
    /duplicate system policy/,
  ],
  [
    'too many policies',
    (s) => (s.policies = Array.from({ length: 31 }, (_, i) => customPolicy(`p${i}`))),
    'spec.policies',
    /<=30/,
  ],
  [
    'user name with slash',
    (s) => (s.users[0].name = 'orders/publisher'),
    'spec.users[0].name',
    /letters, digits/,
  ],
  ['user name 65 characters', (s) => (s.users[0].name = 'u'.repeat(65)), 'spec.users[0].name', /1-64/],
  [
    'user access unknown',
    (s) => (s.users[0].access = 'Both'),
    'spec.users[0].access',
    /Programmatic.*Console/,
  ],
  [
    'user without credentialsSecretName',
    (s) => delete s.users[1].credentialsSecretName,
    'spec.users[1].credentialsSecretName',
    /expected string/,
  ],
  [
    'credentialsSecretName uppercase',
    (s) => (s.users[0].credentialsSecretName = 'Orders-AK'),
    'spec.users[0].credentialsSecretName',
    /Kubernetes object name/,
  ],
  [
    'mfaRequired on a Programmatic user',
    (s) => (s.users[0].mfaRequired = true),
    'spec.users[0].mfaRequired',
    /Console users only/,
  ],
  [
    'duplicate user names',
    (s) => s.users.push({ ...s.users[0], credentialsSecretName: 'other' }),
    'spec.users[2].name',
    /duplicate user name/,
  ],
  [
    'duplicate credentialsSecretName',
    (s) => (s.users[1].credentialsSecretName = s.users[0].credentialsSecretName),
    'spec.users[1].credentialsSecretName',
    /duplicate credentialsSecretName/,
  ],
  [
    'group name with space',
    (s) => (s.group = { name: 'orders publishers' }),
    'spec.group.name',
    /letters, digits/,
  ],
  [
    'assumeRoleGrant unknown',
    (s) => (s.assumeRoleGrant = 'Everything'),
    'spec.assumeRoleGrant',
    /Scoped.*SystemPolicy/,
  ],
  ['deletionPolicy unknown', (s) => (s.deletionPolicy = 'Retain'), 'spec.deletionPolicy', /Delete.*Orphan/],
  ['suspend not a boolean', (s) => (s.suspend = 'true'), 'spec.suspend', /boolean/],
  ['unknown top-level field', (s) => (s.roles = []), 'spec', /Unrecognized key.*roles/],
  ['expiresAt not a time', (s) => (s.expiresAt = 'next tuesday'), 'spec.expiresAt', /RFC 3339/],
  [
    'expiresAt without a time zone',
    (s) => (s.expiresAt = '2027-03-31T00:00:00'),
    'spec.expiresAt',
    /RFC 3339/,
  ],
  ['expiresAt on February 30th', (s) => (s.expiresAt = '2027-02-30T00:00:00Z'), 'spec.expiresAt', /RFC 3339/],
  [
    'rotation after not a Go duration',
    (s) => (s.users[0].accessKeyRotation = { after: '90 days', gracePeriod: '24h' }),
    'spec.users[0].accessKeyRotation.after',
    /Go duration/,
  ],
  [
    'rotation grace period under 10s',
    (s) => (s.users[0].accessKeyRotation = { after: '2160h', gracePeriod: '9s' }),
    'spec.users[0].accessKeyRotation.gracePeriod',
    /at least 10s/,
  ],
  [
    'rotation without a grace period',
    (s) => (s.users[0].accessKeyRotation = { after: '2160h' }),
    'spec.users[0].accessKeyRotation.gracePeriod',
    /expected string/,
  ],
  [
    'rotation on a Console user',
    (s) => (s.users[1].accessKeyRotation = { after: '2160h', gracePeriod: '24h' }),
    'spec.users[1].accessKeyRotation',
    /Programmatic users only/,
  ],
];

describe('CrossAccountDelegation spec: invalid input', () => {
  it('has at least 30 invalid cases, one per rule', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(30);
    expect(new Set(invalid.map(([rule]) => rule)).size).toBe(invalid.length);
  });

  it.each(invalid)('refuses %s, naming the field', (_rule, mutate, field, phrase) => {
    const spec = seedSpec();
    mutate(spec);
    const result = parseSpec(spec);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.field === field);
    expect(
      problem,
      `expected a problem at ${field}, got: ${describeProblems(result.problems)}`,
    ).toBeDefined();
    expect(problem?.message).toMatch(phrase);
  });
});
