/**
 * The RAM error table of the SDK-level error tests: for each code, the calls that set the scene and the
 * call that must fail with it. Action names are the RAM client's method names.
 */
export const A = '1111111111111111';
export const B = '2222222222222222';
export const TRUST = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${B}:root`] } }],
});
const DOC = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'ram:GetRole', Resource: '*' }],
});

export interface ErrorCase {
  code: string;
  status: number;
  /** Steps that must succeed first, then the call that must fail with `code`. */
  setup?: [string, Record<string, unknown>][];
  fail: [string, Record<string, unknown>];
}

const role = (roleName = 'r'): [string, Record<string, unknown>] => [
  'createRole',
  { roleName, assumeRolePolicyDocument: TRUST },
];
const policy = (policyName = 'p'): [string, Record<string, unknown>] => [
  'createPolicy',
  { policyName, policyDocument: DOC },
];
const user = (userName = 'u'): [string, Record<string, unknown>] => ['createUser', { userName }];
const group = (groupName = 'g'): [string, Record<string, unknown>] => ['createGroup', { groupName }];
const attach = (
  kind: 'Role' | 'User' | 'Group',
  name: string,
  policyName = 'p',
  policyType = 'Custom',
): [string, Record<string, unknown>] => [
  `attachPolicyTo${kind}`,
  { [`${kind.toLowerCase()}Name`]: name, policyName, policyType },
];
const version = (n: number): [string, Record<string, unknown>] => [
  'createPolicyVersion',
  { policyName: 'p', policyDocument: DOC.replace('GetRole', `Get${n}`) },
];

export const CASES: ErrorCase[] = [
  { code: 'EntityNotExist.Role', status: 404, fail: ['getRole', { roleName: 'ghost' }] },
  { code: 'EntityNotExist.User', status: 404, fail: ['getUser', { userName: 'ghost' }] },
  {
    code: 'EntityNotExist.Policy',
    status: 404,
    fail: ['getPolicy', { policyName: 'ghost', policyType: 'Custom' }],
  },
  { code: 'EntityNotExist.Group', status: 404, fail: ['getGroup', { groupName: 'ghost' }] },
  {
    code: 'EntityNotExist.User.LoginProfile',
    status: 404,
    setup: [user()],
    fail: ['getLoginProfile', { userName: 'u' }],
  },
  {
    code: 'EntityNotExist.User.AccessKey',
    status: 404,
    setup: [user()],
    fail: ['deleteAccessKey', { userName: 'u', userAccessKeyId: 'LTAI00000000000000000000' }],
  },
  {
    code: 'EntityNotExist.Policy.Version',
    status: 404,
    setup: [policy()],
    fail: ['getPolicyVersion', { policyName: 'p', policyType: 'Custom', versionId: 'v7' }],
  },
  {
    code: 'EntityNotExist.Role.Policy',
    status: 404,
    setup: [role(), policy()],
    fail: ['detachPolicyFromRole', { roleName: 'r', policyName: 'p', policyType: 'Custom' }],
  },
  {
    code: 'EntityNotExist.User.Group',
    status: 404,
    setup: [user(), group()],
    fail: ['removeUserFromGroup', { userName: 'u', groupName: 'g' }],
  },
  { code: 'EntityAlreadyExists.Role', status: 409, setup: [role()], fail: role() },
  { code: 'EntityAlreadyExists.User', status: 409, setup: [user()], fail: user() },
  { code: 'EntityAlreadyExists.Policy', status: 409, setup: [policy()], fail: policy() },
  { code: 'EntityAlreadyExists.Group', status: 409, setup: [group()], fail: group() },
  {
    code: 'EntityAlreadyExists.Role.Policy',
    status: 409,
    setup: [role(), policy(), attach('Role', 'r')],
    fail: attach('Role', 'r'),
  },
  {
    code: 'EntityAlreadyExists.User.Policy',
    status: 409,
    setup: [user(), policy(), attach('User', 'u')],
    fail: attach('User', 'u'),
  },
  {
    code: 'EntityAlreadyExists.Group.Policy',
    status: 409,
    setup: [group(), policy(), attach('Group', 'g')],
    fail: attach('Group', 'g'),
  },
  {
    code: 'EntityAlreadyExists.User.Group',
    status: 409,
    setup: [user(), group(), ['addUserToGroup', { userName: 'u', groupName: 'g' }]],
    fail: ['addUserToGroup', { userName: 'u', groupName: 'g' }],
  },
  {
    code: 'EntityAlreadyExists.User.LoginProfile',
    status: 409,
    setup: [user(), ['createLoginProfile', { userName: 'u', password: 'Str0ngPassw0rd' }]],
    fail: ['createLoginProfile', { userName: 'u', password: 'Str0ngPassw0rd' }],
  },
  {
    code: 'DeleteConflict.Role.Policy',
    status: 409,
    setup: [role(), policy(), attach('Role', 'r')],
    fail: ['deleteRole', { roleName: 'r' }],
  },
  {
    code: 'DeleteConflict.User.AccessKey',
    status: 409,
    setup: [user(), ['createAccessKey', { userName: 'u' }]],
    fail: ['deleteUser', { userName: 'u' }],
  },
  {
    code: 'DeleteConflict.User.LoginProfile',
    status: 409,
    setup: [user(), ['createLoginProfile', { userName: 'u', password: 'Str0ngPassw0rd' }]],
    fail: ['deleteUser', { userName: 'u' }],
  },
  {
    code: 'DeleteConflict.User.Policy',
    status: 409,
    setup: [user(), policy(), attach('User', 'u')],
    fail: ['deleteUser', { userName: 'u' }],
  },
  {
    code: 'DeleteConflict.User.Group',
    status: 409,
    setup: [user(), group(), ['addUserToGroup', { userName: 'u', groupName: 'g' }]],
    fail: ['deleteUser', { userName: 'u' }],
  },
  {
    code: 'DeleteConflict.Policy.User',
    status: 409,
    setup: [user(), policy(), attach('User', 'u')],
    fail: ['deletePolicy', { policyName: 'p' }],
  },
  {
    code: 'DeleteConflict.Policy.Group',
    status: 409,
    setup: [group(), policy(), attach('Group', 'g')],
    fail: ['deletePolicy', { policyName: 'p' }],
  },
  {
    code: 'DeleteConflict.Policy.Role',
    status: 409,
    setup: [role(), policy(), attach('Role', 'r')],
    fail: ['deletePolicy', { policyName: 'p' }],
  },
  {
    code: 'DeleteConflict.Policy.Version',
    status: 409,
    setup: [policy(), version(2)],
    fail: ['deletePolicy', { policyName: 'p' }],
  },
  {
    code: 'DeleteConflict.Group.User',
    status: 409,
    setup: [user(), group(), ['addUserToGroup', { userName: 'u', groupName: 'g' }]],
    fail: ['deleteGroup', { groupName: 'g' }],
  },
  {
    code: 'DeleteConflict.Group.Policy',
    status: 409,
    setup: [group(), policy(), attach('Group', 'g')],
    fail: ['deleteGroup', { groupName: 'g' }],
  },
  {
    code: 'DeleteConflict.Policy.Version.Default',
    status: 409,
    setup: [policy()],
    fail: ['deletePolicyVersion', { policyName: 'p', versionId: 'v1' }],
  },
  {
    code: 'LimitExceeded.Policy.Version',
    status: 409,
    setup: [policy(), version(2), version(3), version(4), version(5)],
    fail: version(6),
  },
  {
    code: 'LimitExceeded.User.AccessKey',
    status: 409,
    setup: [user(), ['createAccessKey', { userName: 'u' }], ['createAccessKey', { userName: 'u' }]],
    fail: ['createAccessKey', { userName: 'u' }],
  },
  {
    code: 'LimitExceeded.Role.Policy',
    status: 409,
    setup: [
      role(),
      ...Array.from({ length: 11 }, (_, i) => policy(`p${i}`)),
      ...Array.from({ length: 10 }, (_, i) => attach('Role', 'r', `p${i}`)),
    ],
    fail: attach('Role', 'r', 'p10'),
  },
  {
    code: 'InvalidParameter.RoleName.InvalidChars',
    status: 400,
    fail: ['createRole', { roleName: 'no_underscores', assumeRolePolicyDocument: TRUST }],
  },
  {
    code: 'InvalidParameter.RoleName.Length',
    status: 400,
    fail: ['createRole', { roleName: 'r'.repeat(65), assumeRolePolicyDocument: TRUST }],
  },
  {
    code: 'InvalidParameter.UserName.InvalidChars',
    status: 400,
    fail: ['createUser', { userName: 'no spaces' }],
  },
  {
    code: 'InvalidParameter.PolicyName.InvalidChars',
    status: 400,
    fail: ['createPolicy', { policyName: 'no.dots', policyDocument: DOC }],
  },
  {
    code: 'InvalidParameter.PolicyName.Length',
    status: 400,
    fail: ['createPolicy', { policyName: 'p'.repeat(129), policyDocument: DOC }],
  },
  {
    code: 'InvalidParameter.MaxSessionDuration',
    status: 400,
    fail: ['createRole', { roleName: 'r', assumeRolePolicyDocument: TRUST, maxSessionDuration: 100 }],
  },
  {
    code: 'InvalidParameter.PolicyType',
    status: 400,
    setup: [role()],
    fail: ['attachPolicyToRole', { roleName: 'r', policyName: 'p', policyType: 'Other' }],
  },
  {
    code: 'MalformedPolicyDocument',
    status: 400,
    fail: ['createPolicy', { policyName: 'p', policyDocument: 'not json' }],
  },
  {
    code: 'MalformedPolicyDocument',
    status: 400,
    fail: ['createPolicy', { policyName: 'p', policyDocument: '{"Version":"1"}' }],
  },
  {
    code: 'MalformedPolicyDocument',
    status: 400,
    fail: ['createPolicy', { policyName: 'p', policyDocument: DOC.replace('"Allow"', '"Permit"') }],
  },
  {
    code: 'MalformedPolicyDocument',
    status: 400,
    fail: ['createRole', { roleName: 'r', assumeRolePolicyDocument: DOC }],
  },
  {
    code: 'InvalidParameter.Password.TooWeak',
    status: 400,
    setup: [user()],
    fail: ['createLoginProfile', { userName: 'u', password: 'weak' }],
  },
  {
    code: 'EntityNotExist.User.MFADevice',
    status: 404,
    setup: [user()],
    fail: ['getUserMFAInfo', { userName: 'u' }],
  },
  {
    code: 'LimitExceeded.User.Group',
    status: 409,
    setup: [
      user(),
      ...Array.from({ length: 11 }, (_, i) => group(`g${i}`)),
      ...Array.from({ length: 10 }, (_, i): [string, Record<string, unknown>] => [
        'addUserToGroup',
        { userName: 'u', groupName: `g${i}` },
      ]),
    ],
    fail: ['addUserToGroup', { userName: 'u', groupName: 'g10' }],
  },
  { code: 'MissingRoleName', status: 400, fail: ['getRole', {}] },
  { code: 'MissingAssumeRolePolicyDocument', status: 400, fail: ['createRole', { roleName: 'r' }] },
  { code: 'MissingPolicyDocument', status: 400, fail: ['createPolicy', { policyName: 'p' }] },
  { code: 'MissingUserName', status: 400, fail: ['createUser', {}] },
];
