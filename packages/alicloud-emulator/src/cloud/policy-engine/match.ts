/**
 * Wildcard matching as RAM policies use it: `*` matches any run of characters (including none), `?`
 * exactly one. Actions compare case-insensitively (`ram:getrole` = `ram:GetRole`); resources compare
 * case-sensitively, except that Alibaba Cloud resource names (ARNs, `acs:<service>:<region>:<account>:
 * <relative>`) treat an empty region or account in either the pattern or the resource as "any", so a
 * grant on `acs:ram:*:1111111111111111:role/x` covers the role ARN `acs:ram::1111111111111111:role/x`.
 * RAM role names are case-insensitive, so a RAM role resource (`acs:ram:...:role/<name>`) matches
 * regardless of case: a grant written with the lower-cased ARN RAM reports covers the role.
 */

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative glob match with backtracking on the last `*`: linear in practice, no regex injection.
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === v[vi])) {
      pi++;
      vi++;
    } else if (pc === '*') {
      starP = pi++;
      starV = vi;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

export function resourceMatches(pattern: string, resource: string): boolean {
  const p = splitArn(pattern);
  const r = splitArn(resource);
  if (!p || !r) return wildcardMatch(pattern, resource);
  return (
    wildcardMatch(p.service, r.service, true) &&
    anySegmentMatch(p.region, r.region) &&
    anySegmentMatch(p.account, r.account) &&
    wildcardMatch(p.relative, r.relative, isRamRole(r))
  );
}

function isRamRole(resource: ArnParts): boolean {
  return resource.service.toLowerCase() === 'ram' && resource.relative.toLowerCase().startsWith('role/');
}

function anySegmentMatch(pattern: string, value: string): boolean {
  return pattern === '' || value === '' || wildcardMatch(pattern, value);
}

interface ArnParts {
  service: string;
  region: string;
  account: string;
  relative: string;
}

function splitArn(value: string): ArnParts | undefined {
  const parts = value.split(':');
  if (parts.length < 5 || parts[0]?.toLowerCase() !== 'acs') return undefined;
  const [, service = '', region = '', account = '', ...rest] = parts;
  return { service, region, account, relative: rest.join(':') };
}
