import { ConditionType, Reason } from '../../api/constants.js';
import type { CrossAccountDelegationObject } from '../../api/resource.js';
import type { CrossAccountDelegationSpec } from '../../api/spec.js';
import type { AuthorizedUserStatus, AuthorizedView } from '../../delegation/authorized/index.js';
import type { Blocked, Change, Side } from '../../delegation/change.js';
import type { DelegationInput, IssuedCredential } from '../../delegation/context.js';
import type { Expiry } from '../../delegation/expiry.js';
import { inventoryToStatus, type InventoryRecord } from '../../delegation/inventory.js';
import type { Verification } from '../../delegation/verify.js';
import { findCondition } from '../conditions.js';
import type { PassResult, SideBlocked } from '../delegation-status.js';
import { userStatus, type KeyReview } from '../key-review.js';
import type { DelegationPass } from '../pass.js';
import type { StoredUserSecrets } from '../user-secrets.js';

/**
 * The state one sync pass builds up as its steps run (Flux's sub-reconcilers share theirs the same
 * way). Each field is written by one step and read by later ones; {@link resultOf} turns it into the
 * one status the pass writes.
 */
export interface SyncPass extends DelegationPass {
  /** The clock reading every time-based decision of the pass uses (expiry), taken once at its start. */
  now: Date;
  /** validate: the runtime-validated spec. */
  spec?: CrossAccountDelegationSpec;
  /** validate: `spec.expiresAt` against {@link now}. */
  expiry?: Expiry;
  /** validate: why the spec is invalid (the pass stops; nothing was called). */
  invalid?: string;
  /** credentials: both accounts' ports and everything else the engine needs. */
  input?: DelegationInput;
  /** inventory: the delegation's record for this pass (status.inventory, kept true by the engine). */
  record?: InventoryRecord;
  /** credentials: the user credentials stored in the Secrets this delegation wrote. */
  userSecrets?: StoredUserSecrets;
  /** credentials: sides whose credentials act in another account than the declared one. */
  accountMismatch: Partial<Record<Side, Blocked>>;
  /** owner: account B as read while the owner side was worked on (the authorized step uses it). */
  authorizedView?: Promise<AuthorizedView>;
  /** owner: the role's ARN as RAM reported it, once the owner side is synced. */
  roleArn?: string;
  /** authorized: B's users (with the key each Secret holds), once the authorized side is synced. */
  users?: AuthorizedUserStatus[];
  /** review AccessKeys: the keys of Programmatic users, with their last use. */
  keyReviews?: KeyReview[];
  /** Moments something timed falls due (expiry, its warning, a rotation step): the pass comes back then. */
  wakeAt: Date[];
  /** owner, authorized: every write the pass made, in order. */
  changes: Change[];
  /** authorized: credentials issued this pass, to store before anything else. Never log. */
  issued: IssuedCredential[];
  /** The side that cannot be brought to the spec without a human; set through {@link block} only. */
  blocked?: SideBlocked;
  /** verify: whether a B identity could assume the role. */
  verification?: Verification;
}

/** `continue` hands the pass to the next step; `stop` ends it here (the status is written either way). */
type StepResult = 'continue' | 'stop';

export interface SyncStep {
  name: string;
  run(pass: SyncPass): Promise<StepResult>;
  /**
   * A failure of this step is retried without an Event or a status write: the step only guards the
   * pass (a stale read while adding the finalizer is not worth telling anyone about).
   */
  retriesQuietly?: boolean;
}

export function startSyncPass(base: DelegationPass): SyncPass {
  return { ...base, now: base.deps.clock(), accountMismatch: {}, changes: [], issued: [], wakeAt: [] };
}

/**
 * A pass over a generation already settled: Ready (or expired on purpose). Any correction it makes is
 * then drift (someone changed the cloud behind the operator's back), not the spec being applied.
 */
export function isSettledGeneration(object: CrossAccountDelegationObject): boolean {
  const ready = findCondition(object.status?.conditions, ConditionType.Ready);
  const settled = ready?.status === 'True' || ready?.reason === Reason.Expired;
  return settled && object.status?.observedGeneration === object.metadata.generation;
}

/** Reads what an earlier step produced; a step ordering mistake is a programming error. */
export function fromStep<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`sync pass: the ${step} step has not run`);
  return value;
}

/** Marks a side as blocked: the one place a pass decides it is stalled on a side. */
export function block(pass: SyncPass, side: Side, blocked: Blocked): void {
  pass.blocked = { side, ...blocked };
}

/** The record this pass leaves in the status; undefined before the inventory step opened it. */
export function finalInventory(pass: SyncPass): ReturnType<typeof inventoryToStatus> | undefined {
  return pass.record ? inventoryToStatus(pass.record.snapshot()) : undefined;
}

/** What the pass found, for the status. */
export function resultOf(pass: SyncPass): PassResult {
  if (pass.invalid !== undefined) return { kind: 'Invalid', message: pass.invalid };
  const expiry = fromStep(pass.expiry, 'validate');
  const reviews = new Map((pass.keyReviews ?? []).map((review) => [review.user, review]));
  return {
    kind: 'Done',
    blocked: pass.blocked,
    roleArn: pass.roleArn,
    users: pass.users?.map((user) => userStatus(user, reviews.get(user.name))),
    verification: pass.verification,
    accessRevoked: expiry.expired
      ? 'expired'
      : fromStep(pass.spec, 'validate').suspend
        ? 'suspended'
        : undefined,
    expiry: { expiresAt: expiry.expiresAt, expiresSoon: expiry.expiresSoon },
    inventory: finalInventory(pass),
  };
}
