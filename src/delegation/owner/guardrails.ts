import { Reason } from '../../api/constants.js';
import type { Blocked } from '../change.js';
import type { DesiredOwner } from './desired.js';

/** The system policy that grants everything in the account. */
const ADMINISTRATOR_ACCESS = 'AdministratorAccess';

/** Action values that mean "every action of every service" (RAM matches actions case-insensitively). */
const EVERY_ACTION = new Set(['*', '*:*']);

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Whether one permission document has an Allow statement whose Action includes `*` (or `*:*`) and whose
 * Resource includes `*`. Deliberately narrow: service-wide wildcards such as `ram:*` on `*` are not
 * refused, since they are how many legitimate narrow-service delegations are written.
 */
function grantsEverything(document: unknown): boolean {
  if (typeof document !== 'object' || document === null) return false;
  const statements = asList((document as { Statement?: unknown }).Statement);
  return statements.some((statement) => {
    if (typeof statement !== 'object' || statement === null) return false;
    const s = statement as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    if (s.Effect !== 'Allow') return false;
    const everyAction = asList(s.Action).some((a) => typeof a === 'string' && EVERY_ACTION.has(a.trim()));
    const everyResource = asList(s.Resource).some((r) => r === '*');
    return everyAction && everyResource;
  });
}

/**
 * Refuses specs whose role would be all-powerful in account A: AdministratorAccess, or a custom policy
 * allowing `*` on `*`. Checked whether or not the delegation is suspended (the spec itself is refused).
 * Returns undefined when the spec passes or the operator was started with the allow flag.
 */
export function checkGuardrails(
  desired: DesiredOwner,
  options: { allowBroadPolicies: boolean },
): Blocked | undefined {
  if (options.allowBroadPolicies) return undefined;
  const broad: string[] = [];
  for (const ref of desired.specPolicies) {
    if (ref.policyType === 'System' && ref.policyName === ADMINISTRATOR_ACCESS)
      broad.push(`system policy ${ADMINISTRATOR_ACCESS}`);
  }
  for (const policy of desired.customPolicies) {
    if (grantsEverything(JSON.parse(policy.document)))
      broad.push(`custom policy ${policy.name} (allows * on *)`);
  }
  if (broad.length === 0) return undefined;
  return {
    reason: Reason.PolicyTooBroad,
    message: `refusing to grant role ${desired.role?.name ?? ''} full access to account ${desired.accountId}: ${broad.join(', ')}; the operator must be started with broad policies allowed`,
  };
}
