/**
 * The trust side of AssumeRole: the role's AssumeRolePolicyDocument must allow `sts:AssumeRole` for the
 * caller. A caller is named in `Principal.RAM` by its account root (`acs:ram::<acct>:root` or the bare
 * account id, meaning "any identity of that account its own admin allows"), by its user
 * (`acs:ram::<acct>:user/<name>`) or, for role chaining, by its role (`acs:ram::<acct>:role/<name>`).
 */
import type { Principal, RequestContext } from '../../contract.js';
import { conditionContext } from '../authorize.js';
import type { Role } from '../model.js';
import { parsePolicyDocument } from '../policy-engine/document.js';
import { evaluate, type Decision } from '../policy-engine/evaluate.js';

function callerPrincipalNames(principal: Principal): string[] {
  const root = `acs:ram::${principal.accountId}:root`;
  if (principal.kind === 'user') return [root, `acs:ram::${principal.accountId}:user/${principal.userName}`];
  if (principal.kind === 'assumed-role')
    return [root, `acs:ram::${principal.accountId}:role/${principal.roleName}`];
  return [root];
}

export function trustDecision(
  role: Role,
  roleResource: string,
  principal: Principal,
  ctx: RequestContext,
): Decision {
  const trust = parsePolicyDocument(role.assumeRolePolicyDocument, 'trust');
  return evaluate(
    {
      action: 'sts:AssumeRole',
      resource: roleResource,
      context: conditionContext(ctx),
      principal: { ram: callerPrincipalNames(principal) },
    },
    [trust],
  );
}
