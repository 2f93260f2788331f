import type { Blocked, Change, Side } from './change.js';
import type { DelegationInput, EngineOptions } from './context.js';
import { accountCheck } from './engine.js';
import { DEFAULT_TAG_GRACE_MS } from './context.js';
import { InventoryRecord } from './inventory.js';
import { desiredAuthorized, observeAuthorizedSide, planAuthorized } from './authorized/index.js';
import { desiredOwner, observeOwner, planOwner, roleArn } from './owner/index.js';
import { checkGuardrails } from './owner/guardrails.js';

/**
 * What a reconcile pass would do, without doing it: both accounts read by name as a pass reads them,
 * and planned by the engine's own planners, in the engine's own words (`Change`). Nothing is written:
 * the record is kept in memory only, and no action runs. `ram-delegation plan` prints this; it also
 * hands in ports that refuse every write, so a mistake here could not reach the cloud either.
 *
 * Like a pass, B is only planned once A may be changed; a refusal on one side names its reason.
 */

interface SidePreview {
  side: Side;
  changes: Change[];
  /** What the operator would refuse on this side (nothing is planned for it then). */
  refused?: Blocked;
}

export interface Preview {
  owner: SidePreview;
  /** Absent when A is refused: the operator does not touch B before A matches the spec. */
  authorized?: SidePreview;
}

export async function previewDelegation(input: DelegationInput, options: EngineOptions): Promise<Preview> {
  const record = input.record ?? new InventoryRecord();
  const now = options.clock();
  const [ownerMismatch, authorizedMismatch] = await Promise.all([
    accountCheck(input.owner.sts, input.spec.owner.accountId, 'owner'),
    accountCheck(input.authorized.sts, input.spec.authorized.accountId, 'authorized'),
  ]);
  const refused = (side: Side, blocked: Blocked): SidePreview => ({ side, changes: [], refused: blocked });
  if (ownerMismatch) return { owner: refused('owner', ownerMismatch) };

  const desired = desiredOwner(input.spec, input.ownership, { expired: input.expired });
  const tooBroad = checkGuardrails(desired, options);
  if (tooBroad) return { owner: refused('owner', tooBroad) };
  const observed = await observeOwner(input.owner.ram, desired, input.ownership, record, {
    readTags: 'all',
    now,
    tagGraceMs: options.tagGraceMs ?? DEFAULT_TAG_GRACE_MS,
  });
  const ownerPlan = planOwner(desired, observed, {
    adopt: input.adopt,
    correctionsAreDrift: false,
    allowBroadPolicies: options.allowBroadPolicies,
  });
  if (ownerPlan.blocked) return { owner: refused('owner', ownerPlan.blocked) };
  const owner: SidePreview = { side: 'owner', changes: ownerPlan.actions.map((a) => a.change) };
  if (authorizedMismatch) return { owner, authorized: refused('authorized', authorizedMismatch) };

  const view = await observeAuthorizedSide({ ...input, record, correctionsAreDrift: false }, options);
  // Before the role exists, the grant names the ARN the spec implies (RAM's own is known after CreateRole).
  const arn =
    observed.role?.info.arn ?? record.roleArn ?? roleArn(input.spec.owner.accountId, desired.role.name);
  const authorizedPlan = planAuthorized(
    desiredAuthorized(input.spec, input.ownership, arn, view.alias),
    view.observed,
    input.stored,
    {
      adopt: input.adopt,
      correctionsAreDrift: false,
      now,
      rotationRequest: input.rotationRequest,
    },
  );
  if (authorizedPlan.blocked) return { owner, authorized: refused('authorized', authorizedPlan.blocked) };
  return { owner, authorized: { side: 'authorized', changes: authorizedPlan.actions.map((a) => a.change) } };
}
