/**
 * Authorization of every call made with RAM-user or role-session credentials. The caller's identity
 * policies are read at request time (a user's own plus its groups'; a role's attached policies narrowed
 * by the session policy) from the world it is given: the authorization view of the consistency model.
 * So detaching a policy takes effect on the next request once the change has propagated (at once
 * unless `authorizationLagMs` is on), including for STS credentials issued before. A root key may do
 * anything in its own account.
 */
import { ApiError, type PolicyDocument, type Principal, type RequestContext } from '../contract.js';
import type { Account, Attachment, World } from './model.js';
import type { ConditionContext } from './policy-engine/conditions.js';
import { evaluate, intersect, type Decision } from './policy-engine/evaluate.js';
import { policyDocument } from './ram/lookup.js';

/** Which kind of policy produced a denial, as `AccessDeniedDetail.PolicyType` names it. */
type DeniedPolicyType =
  'AccountLevelIdentityBasedPolicy' | 'SessionPolicy' | 'AssumeRolePolicy' | 'ResourceOwnerCheck';

export interface Verdict {
  decision: Decision;
  policyType: DeniedPolicyType;
}

/** The request-side condition keys RAM evaluates. */
export function conditionContext(ctx: RequestContext): ConditionContext {
  return {
    'acs:CurrentTime': ctx.now.toISOString(),
    'acs:SourceIp': ctx.sourceIp,
    'acs:SecureTransport': String(ctx.secureTransport),
    // AccessKey and STS calls never carry an MFA authentication.
    'acs:MFAPresent': 'false',
  };
}

function documents(account: Account, attachments: readonly Attachment[]): PolicyDocument[] {
  return attachments.flatMap((a) => {
    const doc = policyDocument(account, a.policyType, a.policyName);
    return doc ? [doc] : [];
  });
}

/** The identity policies in force for a non-root principal right now. */
function identityPolicies(world: World, principal: Exclude<Principal, { kind: 'root' }>): PolicyDocument[] {
  const account = world.accounts.get(principal.accountId);
  if (!account) return [];
  if (principal.kind === 'user') {
    const user = [...account.users.values()].find((u) => u.userId === principal.userId);
    if (!user) return [];
    const groups = [...account.groups.values()].filter((g) => g.members.has(user.userId));
    return [
      ...documents(account, user.attachments),
      ...groups.flatMap((g) => documents(account, g.attachments)),
    ];
  }
  const role = [...account.roles.values()].find((r) => r.roleId === principal.roleId);
  return role ? documents(account, role.attachments) : [];
}

/** Decides one action on one resource for a principal acting in its own account or beyond. */
export function decide(
  world: World,
  principal: Principal,
  action: string,
  resource: string,
  ctx: RequestContext,
  resourceAccountId: string,
): Verdict {
  if (principal.kind === 'root') {
    const own = principal.accountId === resourceAccountId;
    return { decision: own ? 'Allow' : 'ImplicitDeny', policyType: 'ResourceOwnerCheck' };
  }
  const request = { action, resource, context: conditionContext(ctx) };
  const identity = evaluate(request, identityPolicies(world, principal));
  if (principal.kind === 'assumed-role' && principal.sessionPolicy) {
    const session = evaluate(request, [principal.sessionPolicy]);
    const decision = intersect(identity, session);
    const blamesSession = identity === 'Allow' || (session === 'ExplicitDeny' && identity !== 'ExplicitDeny');
    return {
      decision,
      policyType: decision !== 'Allow' && blamesSession ? 'SessionPolicy' : 'AccountLevelIdentityBasedPolicy',
    };
  }
  return { decision: identity, policyType: 'AccountLevelIdentityBasedPolicy' };
}

/** Throws `NoPermission` (403) unless every resource is allowed. */
export function authorize(
  world: World,
  principal: Principal,
  action: string,
  resources: readonly string[],
  ctx: RequestContext,
  resourceAccountId: string,
): void {
  for (const resource of resources) {
    const verdict = decide(world, principal, action, resource, ctx, resourceAccountId);
    if (verdict.decision !== 'Allow') {
      throw noPermission(
        principal,
        action,
        resource,
        verdict,
        'You are not authorized to do this action. You should be authorized by RAM.',
      );
    }
  }
}

/** How a principal is named in denial details. */
function principalDisplay(principal: Principal): { type: string; name: string } {
  if (principal.kind === 'root') return { type: 'Account', name: principal.accountId };
  if (principal.kind === 'user') return { type: 'SubUser', name: principal.userName };
  return { type: 'AssumedRoleUser', name: `${principal.roleName}:${principal.sessionName}` };
}

/** A 403 carrying the `AccessDeniedDetail` the SDKs surface as `error.accessDeniedDetail`. */
export function noPermission(
  principal: Principal,
  action: string,
  resource: string,
  verdict: Verdict,
  message: string,
  code = 'NoPermission',
): ApiError {
  const who = principalDisplay(principal);
  const noPermissionType = verdict.decision === 'ExplicitDeny' ? 'ExplicitDeny' : 'ImplicitDeny';
  const diagnostic = {
    AuthAction: action,
    AuthResource: resource,
    AuthPrincipal: {
      AuthPrincipalType: who.type,
      AuthPrincipalOwnerId: principal.accountId,
      AuthPrincipalDisplayName: who.name,
    },
    ExplicitDeny: noPermissionType === 'ExplicitDeny',
    NoPermissionPolicyType: verdict.policyType,
  };
  return new ApiError(code, 403, message, {
    accessDeniedDetail: {
      PolicyType: verdict.policyType,
      AuthPrincipalOwnerId: principal.accountId,
      AuthPrincipalType: who.type,
      AuthPrincipalDisplayName: who.name,
      NoPermissionType: noPermissionType,
      AuthAction: action,
      EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic), 'utf8').toString('base64'),
    },
  });
}
