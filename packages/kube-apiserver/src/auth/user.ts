/**
 * Who a request runs as, in the shape of Kubernetes' user.Info: a name, groups, an optional uid and
 * extra attributes. ServiceAccounts are users named `system:serviceaccount:<namespace>:<name>`.
 */

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Members are allowed everything, whatever RBAC says (the real server's privileged group). */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';

/** The user the admin bearer token of the kubeconfig authenticates as. */
export const ADMIN_USER: UserInfo = {
  username: 'sandbox-admin',
  groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED],
};

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** The groups every ServiceAccount of a namespace is in (without system:authenticated). */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`];
}

/** Namespace and name of a ServiceAccount username, or undefined for any other user. */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}
