import { toActions } from '../action.js';
import type { DelegationInput, EngineOptions, SideOutcome } from '../context.js';
import { InventoryRecord } from '../inventory.js';
import { mapLimited } from '../map-limited.js';
import { ownsByComments } from '../ownership.js';
import { runRecorded } from '../recorded-apply.js';
import { describeAuthorizedOp, withMarker, type AuthorizedStep } from './actions.js';
import { desiredAuthorized } from './desired.js';
import { executeAuthorizedOp } from './execute.js';
import { blockedBy } from './plan.js';
import { createUserStep } from './plan-users.js';

/**
 * `principals: Users`: the role's trust policy names B's users, so they must exist before account A
 * writes that trust policy (a principal that does not exist yet is refused or never matches). This runs
 * before the owner side: B's spec users are created (with the marker, nothing else yet: credentials and
 * the grant follow once the role exists), or adopted. Read by name, one GetUser per spec user.
 * Blocked (EntityNotManaged) when a spec user exists without the marker and adoption is off: then A is
 * not touched either.
 */
export async function prepareTrustedUsers(
  input: DelegationInput,
  options: EngineOptions,
): Promise<SideOutcome> {
  const ram = input.authorized.ram;
  const record = input.record ?? new InventoryRecord();
  const desired = desiredAuthorized(input.spec, input.ownership, '');
  const observed = await mapLimited(desired.users, options.concurrency, async (user) => ({
    user,
    info: await ram.getUser(user.name),
  }));
  const unmanaged: string[] = [];
  const steps: AuthorizedStep[] = [];
  for (const { user, info } of observed) {
    const recorded = record.has({ side: 'authorized', kind: 'user', name: user.name });
    if (!info) {
      steps.push(createUserStep(user));
    } else if (!ownsByComments(info.comments, input.ownership)) {
      if (!recorded && !input.adopt) unmanaged.push(`user/${user.name}`);
      else
        steps.push({
          phase: 'prepare',
          op: { kind: 'markUser', userName: user.name, comments: withMarker(info.comments, desired.marker) },
        });
    }
  }
  if (unmanaged.length > 0) {
    return { synced: false, changes: [], blocked: blockedBy(unmanaged, desired.accountId) };
  }
  const actions = toActions(steps, describeAuthorizedOp, {
    side: 'authorized',
    drift: input.correctionsAreDrift,
  });
  const changes = await runRecorded(
    actions,
    record,
    async (action) => void (await executeAuthorizedOp(ram, action.op, options)),
    { concurrency: options.concurrency },
  );
  return { synced: true, changes };
}
