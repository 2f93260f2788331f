/**
 * Impersonation (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`, `Impersonate-Extra-*`),
 * as apiserver's impersonation filter does it: every requested identity part is authorized as the verb
 * `impersonate` on users, serviceaccounts (a `system:serviceaccount:<ns>:<name>` user, in its
 * namespace), groups, uids or userextras for the real caller; the first refusal is a 403. The new user
 * gets the ServiceAccount groups when impersonating one without naming groups, and system:authenticated
 * unless a group already says authenticated or unauthenticated.
 */
import { ApiError } from '../errors.js';
import type { RequestAttributes } from './attributes.js';
import { forbiddenError } from './forbidden.js';
import type { Decision } from './authorizer.js';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USER,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  type UserInfo,
} from './user.js';

const EXTRA_PREFIX = 'impersonate-extra-';

/** Request headers, each with all its values (Node's `headersDistinct`: repeated headers are not joined). */
export type HeaderValues = Partial<Record<string, string[]>>;

/** One `impersonate` check per identity part, in the real filter's order. */
function impersonationChecks(headers: HeaderValues): RequestAttributes[] {
  const checks: RequestAttributes[] = [];
  const user = headers['impersonate-user']?.[0]?.trim() ?? '';
  if (user) {
    const account = splitServiceAccountUsername(user);
    checks.push(
      account
        ? { kind: 'resource', verb: 'impersonate', group: '', resource: 'serviceaccounts', ...account }
        : { kind: 'resource', verb: 'impersonate', group: '', resource: 'users', name: user },
    );
  }
  for (const group of (headers['impersonate-group'] ?? []).filter(Boolean)) {
    checks.push({ kind: 'resource', verb: 'impersonate', group: '', resource: 'groups', name: group });
  }
  const uid = headers['impersonate-uid']?.[0]?.trim();
  if (uid) {
    checks.push({
      kind: 'resource',
      verb: 'impersonate',
      group: 'authentication.k8s.io',
      resource: 'uids',
      name: uid,
    });
  }
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    const key = decodeURIComponent(header.slice(EXTRA_PREFIX.length));
    for (const extra of value ?? []) {
      checks.push({
        kind: 'resource',
        verb: 'impersonate',
        group: 'authentication.k8s.io',
        resource: 'userextras',
        subresource: key,
        name: extra,
      });
    }
  }
  if (!user && checks.length > 0) {
    throw new ApiError(
      500,
      'InternalError',
      'Internal error occurred: requested impersonation of groups, a uid or extras without impersonating a user',
    );
  }
  return checks;
}

/**
 * The user a request runs as: the caller itself, or the impersonated user when the caller may
 * impersonate every part of it.
 */
export function impersonate(
  caller: UserInfo,
  headers: HeaderValues,
  authorize: (user: UserInfo, attributes: RequestAttributes) => Decision,
): UserInfo {
  const checks = impersonationChecks(headers);
  if (checks.length === 0) return caller;
  let username = '';
  let uid: string | undefined;
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  const groupsGiven = checks.some((c) => c.kind === 'resource' && c.resource === 'groups');
  for (const check of checks) {
    const decision = authorize(caller, check);
    if (!decision.allowed) throw forbiddenError(caller, check, decision.reason);
    if (check.kind !== 'resource') continue;
    const name = check.name ?? '';
    if (check.resource === 'serviceaccounts') {
      username = serviceAccountUsername(check.namespace ?? '', name);
      if (!groupsGiven) groups = serviceAccountGroups(check.namespace ?? '');
    } else if (check.resource === 'users') username = name;
    else if (check.resource === 'groups') groups.push(name);
    else if (check.resource === 'uids') uid = name;
    else (extra[check.subresource ?? ''] ??= []).push(name);
  }
  const saysWhetherAuthenticated = groups.some((g) => g === ALL_AUTHENTICATED || g === ALL_UNAUTHENTICATED);
  if (username !== ANONYMOUS_USER && !saysWhetherAuthenticated) groups.push(ALL_AUTHENTICATED);
  const user: UserInfo = { username, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length > 0) user.extra = extra;
  return user;
}
