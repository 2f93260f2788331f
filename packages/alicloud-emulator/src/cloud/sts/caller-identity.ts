/** STS GetCallerIdentity: who the credentials are. Needs no permission, as in the real service. */
import type { Principal } from '../../contract.js';
import { assumedRoleArn } from '../arns.js';

export function getCallerIdentity(principal: Principal, lowercaseArns: boolean): Record<string, unknown> {
  const accountId = principal.accountId;
  if (principal.kind === 'root') {
    return {
      AccountId: accountId,
      Arn: `acs:ram::${accountId}:root`,
      IdentityType: 'Account',
      PrincipalId: accountId,
      UserId: accountId,
    };
  }
  if (principal.kind === 'user') {
    return {
      AccountId: accountId,
      Arn: `acs:ram::${accountId}:user/${principal.userName}`,
      IdentityType: 'RAMUser',
      PrincipalId: principal.userId,
      UserId: principal.userId,
    };
  }
  return {
    AccountId: accountId,
    Arn: assumedRoleArn(accountId, principal.roleName, principal.sessionName, lowercaseArns),
    IdentityType: 'AssumedRoleUser',
    PrincipalId: `${principal.roleId}:${principal.sessionName}`,
    RoleId: principal.roleId,
  };
}
