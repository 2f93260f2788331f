/**
 * What the API server asks of an authorizer: may this user do this, and which rules bind the user (for
 * access reviews). The RBAC authorizer implements it; kinds that answer per caller only see this.
 */
import type { RequestAttributes } from './attributes.js';
import type { PolicyRule } from './rbac-rules.js';
import type { UserInfo } from './user.js';

export interface Decision {
  allowed: boolean;
  /** Why: `RBAC: allowed by ...` when allowed; the lookup errors (or empty) when not. */
  reason: string;
}

export interface BoundRules {
  /** `RoleBinding "rb/ns" of Role "r" to ServiceAccount "sa/ns"` */
  source: string;
  rules: PolicyRule[];
}

export interface Authorizer {
  authorize(user: UserInfo, attributes: RequestAttributes): Decision;
  rulesFor(user: UserInfo, namespace: string | undefined): { bound: BoundRules[]; errors: string[] };
}
