/**
 * STS AssumeRole. Three gates, in order: the caller is not a root account; the caller's own policies
 * allow `sts:AssumeRole` on the role (`acs:ram:*:<owner>:role/<name>`); the role exists and its trust
 * policy allows the caller. DurationSeconds is 900 up to the role's MaxSessionDuration (default 3600,
 * capped at the maximum). An optional session `Policy` narrows what the credentials may do. All three
 * gates read the authorization view of the consistency model (a role just deleted, or a grant just
 * detached, still counts until the change propagates); the RoleArn's role name matches regardless of case.
 */
import { ApiError, type Principal, type PolicyDocument } from '../../contract.js';
import { roleSessionArn } from '../arns.js';
import { authorize, noPermission } from '../authorize.js';
import { entityNotExist, invalidParameter } from '../errors.js';
import { isoSeconds } from '../ids.js';
import { parsePolicyDocument } from '../policy-engine/document.js';
import { ramResource, type ActionContext } from '../ram/action.js';
import { findRole } from '../ram/lookup.js';
import type { TokenAuthority } from './tokens.js';
import { trustDecision } from './trust.js';

const MIN_DURATION = 900;
const DEFAULT_DURATION = 3600;
const MAX_SESSION_POLICY_LENGTH = 2048;

/** `acs:ram::<account>:role/<name>` → its parts; anything else is InvalidParameter.RoleArn. */
function parseRoleArn(arn: string): { accountId: string; roleName: string } {
  const match = /^acs:ram::(\d{16}):role\/([^/]+)$/i.exec(arn);
  if (!match?.[1] || !match[2])
    throw invalidParameter('RoleArn', `The parameter RoleArn is wrongly formed: ${arn}.`);
  return { accountId: match[1], roleName: match[2] };
}

function sessionPolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  if (text.length > MAX_SESSION_POLICY_LENGTH)
    throw invalidParameter('PolicyLength', 'The parameter Policy is too long.');
  try {
    return parsePolicyDocument(text, 'permission');
  } catch {
    throw invalidParameter('PolicyGrammar', 'The parameter Policy has not passed grammar check.');
  }
}

export function assumeRole(ctx: ActionContext, tokens: TokenAuthority): Record<string, unknown> {
  const caller: Principal = ctx.request.principal;
  if (caller.kind === 'root') {
    throw new ApiError('NoPermission', 403, 'Roles may not be assumed by root accounts.');
  }
  const { accountId, roleName } = parseRoleArn(ctx.params.required('RoleArn'));
  const sessionName = ctx.params.required('RoleSessionName');
  if (!/^[\w.@-]{2,64}$/.test(sessionName)) {
    throw invalidParameter(
      'RoleSessionName',
      'The parameter RoleSessionName is wrongly formed: 2-64 of [A-Za-z0-9_.@-].',
    );
  }
  const requested = ctx.params.int('DurationSeconds');
  const policy = sessionPolicy(ctx.params.optional('Policy'));

  const owner = ctx.world.accounts.get(accountId);
  const role = owner ? findRole(owner, roleName) : undefined;
  const resource = ramResource(accountId, 'role', role?.roleName ?? roleName);
  authorize(ctx.world, caller, 'sts:AssumeRole', [resource], ctx.request, caller.accountId);
  if (!role) throw entityNotExist('Role', `The role not exists: acs:ram::${accountId}:role/${roleName}.`);

  const trust = trustDecision(role, resource, caller, ctx.request);
  if (trust !== 'Allow') {
    throw noPermission(
      caller,
      'sts:AssumeRole',
      resource,
      { decision: trust, policyType: 'AssumeRolePolicy' },
      'You are not authorized to do this action. You should be authorized by RAM.',
    );
  }

  const duration = requested ?? Math.min(DEFAULT_DURATION, role.maxSessionDuration);
  if (duration < MIN_DURATION || duration > role.maxSessionDuration) {
    throw invalidParameter(
      'DurationSeconds',
      `The Min/Max value of DurationSeconds is ${MIN_DURATION}/${role.maxSessionDuration} seconds.`,
    );
  }
  const issuedAt = ctx.now.getTime();
  const expiresAt = issuedAt + duration * 1000;
  const credentials = tokens.issue({
    ak: `STS.NU${ctx.ids.alnum(24)}`,
    acct: accountId,
    role: role.roleName,
    roleId: role.roleId,
    session: sessionName,
    iat: issuedAt,
    exp: expiresAt,
    ...(policy ? { policy } : {}),
  });
  const sourceIdentity = ctx.params.optional('SourceIdentity');
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      AccessKeySecret: credentials.accessKeySecret,
      SecurityToken: credentials.securityToken,
      Expiration: isoSeconds(new Date(expiresAt)),
    },
    AssumedRoleUser: {
      Arn: roleSessionArn(accountId, role.roleName, sessionName, ctx.lowercaseArns),
      AssumedRoleId: `${role.roleId}:${sessionName}`,
    },
    ...(sourceIdentity ? { SourceIdentity: sourceIdentity } : {}),
  };
}
