/**
 * The RAM policy decision: pure, no state. A request is allowed when some statement of some policy
 * allows it and no statement denies it; an explicit Deny always wins; with no matching statement the
 * answer is an implicit deny.
 */
import type { PolicyDocument, PolicyStatement } from '../../contract.js';
import { conditionsHold, type ConditionContext } from './conditions.js';
import { actionMatches, resourceMatches, wildcardMatch } from './match.js';

export type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

/** The caller as a trust policy's `Principal` sees it. */
interface RequestPrincipal {
  /** Every RAM name of the caller, e.g. `acs:ram::2222222222222222:root` and `...:user/alice`. */
  ram?: string[];
  /** A cloud service principal such as `ecs.aliyuncs.com`. */
  service?: string;
}

export interface AuthorizationRequest {
  /** `service:Action`, e.g. `ram:GetRole`. */
  action: string;
  /** The resource's ARN, e.g. `acs:ram:*:1111111111111111:role/x`. */
  resource: string;
  context: ConditionContext;
  /**
   * Set only when evaluating a trust policy: statements then apply only when their `Principal` names the
   * caller. Identity policies have no `Principal` and are evaluated with this left out.
   */
  principal?: RequestPrincipal;
}

export function evaluate(request: AuthorizationRequest, policies: readonly PolicyDocument[]): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.Statement) {
      if (!statementApplies(statement, request)) continue;
      if (statement.Effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/**
 * Combines decisions that must all allow (identity policies AND a session policy): an explicit deny
 * anywhere wins, then any implicit deny.
 */
export function intersect(...decisions: Decision[]): Decision {
  if (decisions.includes('ExplicitDeny')) return 'ExplicitDeny';
  if (decisions.includes('ImplicitDeny')) return 'ImplicitDeny';
  return 'Allow';
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  return (
    matchesList(statement.Action, statement.NotAction, (p) => actionMatches(p, request.action)) &&
    matchesList(statement.Resource, statement.NotResource, (p) => resourceMatches(p, request.resource)) &&
    principalMatches(statement.Principal, request.principal) &&
    conditionsHold(statement.Condition, request.context)
  );
}

/** `X` matches when any pattern matches; `NotX` when none does; neither given means "everything". */
function matchesList(
  positive: string | string[] | undefined,
  negative: string | string[] | undefined,
  test: (pattern: string) => boolean,
): boolean {
  if (positive !== undefined) return toList(positive).some(test);
  if (negative !== undefined) return !toList(negative).some(test);
  return true;
}

function principalMatches(
  statementPrincipal: PolicyStatement['Principal'],
  caller: RequestPrincipal | undefined,
): boolean {
  if (caller === undefined) return true;
  if (statementPrincipal === undefined) return false;
  if (statementPrincipal === '*') return true;
  for (const [kind, names] of Object.entries(statementPrincipal)) {
    const patterns = toList(names);
    if (kind.toLowerCase() === 'ram') {
      const callerNames = caller.ram ?? [];
      const hit = patterns.some(
        (pattern) =>
          pattern === '*' ||
          callerNames.some((name) => wildcardMatch(normalizeRamPrincipal(pattern), name, true)),
      );
      if (hit) return true;
    } else if (kind.toLowerCase() === 'service' && caller.service !== undefined) {
      const service = caller.service;
      if (patterns.some((pattern) => wildcardMatch(pattern, service, true))) return true;
    }
  }
  return false;
}

/** A bare account id in `Principal.RAM` means that account's root. */
function normalizeRamPrincipal(pattern: string): string {
  return /^\d+$/.test(pattern) ? `acs:ram::${pattern}:root` : pattern;
}

function toList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
