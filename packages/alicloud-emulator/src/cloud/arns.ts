/**
 * The ARNs RAM and STS report for roles and role sessions. Real RAM may report a role's ARN with the
 * role name lower-cased while `RoleName` keeps its case; the `lowercaseArns` fault turns that on. RAM
 * itself compares role ARNs regardless of case, since role names are case-insensitive (lookups here,
 * resource matching in policy-engine/match.ts, trust principals in policy-engine/evaluate.ts), so either
 * spelling works wherever an ARN is given back to it.
 */

function roleNameAs(roleName: string, lowercase: boolean): string {
  return lowercase ? roleName.toLowerCase() : roleName;
}

/** `acs:ram::<account>:role/<name>`: what RAM reports as a role's `Arn` and STS AssumeRole takes. */
export function roleArn(accountId: string, roleName: string, lowercase: boolean): string {
  return `acs:ram::${accountId}:role/${roleNameAs(roleName, lowercase)}`;
}

/** AssumeRole's `AssumedRoleUser.Arn`: `acs:ram::<account>:role/<name>/<session>`. */
export function roleSessionArn(
  accountId: string,
  roleName: string,
  sessionName: string,
  lowercase: boolean,
): string {
  return `${roleArn(accountId, roleName, lowercase)}/${sessionName}`;
}

/** GetCallerIdentity's `Arn` of a role session: `acs:ram::<account>:assumed-role/<name>/<session>`. */
export function assumedRoleArn(
  accountId: string,
  roleName: string,
  sessionName: string,
  lowercase: boolean,
): string {
  return `acs:ram::${accountId}:assumed-role/${roleNameAs(roleName, lowercase)}/${sessionName}`;
}
