import { Reason } from '../api/constants.js';
import { CredentialsAccountMismatchError } from '../alicloud/errors.js';
import { verifyAccount } from '../alicloud/credentials.js';
import type { StsPort } from '../alicloud/ports.js';
import type { Blocked, Change } from './change.js';
import type { DelegationInput, EngineOptions } from './context.js';
import type { SideRevocation } from './revocation.js';
import {
  observeAuthorizedSide,
  prepareTrustedUsers,
  reconcileAuthorized,
  revokeAuthorized,
  desiredAuthorized,
  type AuthorizedOutcome,
} from './authorized/index.js';
import { InventoryRecord } from './inventory.js';
import {
  desiredOwner,
  reconcileOwner,
  revokeOwner,
  roleArn,
  type OwnerOutcome,
  type OwnerRevocation,
} from './owner/index.js';

/**
 * The delegation engine's two entry points: bring both accounts to the spec ({@link reconcileDelegation})
 * and take everything away ({@link revokeDelegation}). Both are level-based and idempotent: any write may
 * be the last before a crash, and the next call converges without duplicates.
 */

export interface ReconcileOutcome {
  owner: OwnerOutcome;
  /** Absent when the owner side did not sync: B is only touched once A's role is right. */
  authorized?: AuthorizedOutcome;
  /** The role's ARN as RAM returned it; absent until the owner side synced. */
  roleArn?: string;
}

/**
 * Checks that a side's credentials act in the declared account: a mismatch blocks the side (the operator
 * must never create a role in the wrong company's account). Other failures propagate.
 */
export async function accountCheck(
  sts: StsPort,
  accountId: string,
  side: string,
): Promise<Blocked | undefined> {
  try {
    await verifyAccount(sts, accountId);
    return undefined;
  } catch (error) {
    if (!(error instanceof CredentialsAccountMismatchError)) throw error;
    return { reason: Reason.CredentialsAccountMismatch, message: `${side} credentials: ${error.message}` };
  }
}

/**
 * One reconcile pass: verify both identities, then the owner side (role, policies, attachments), then,
 * once A is synced, the authorized side (users, group, grant). With `principals: Users` B's users are
 * created first, because A's trust policy names them. Credentials issued for B's users are in
 * `authorized.issued`; the caller must store them before anything else. The controller runs the same
 * sequence as separate steps (src/controller/sync/).
 */
export async function reconcileDelegation(
  input: DelegationInput,
  options: EngineOptions,
): Promise<ReconcileOutcome> {
  const pass: DelegationInput = { ...input, record: input.record ?? new InventoryRecord() };
  const [ownerBlocked, authorizedBlocked] = await Promise.all([
    accountCheck(input.owner.sts, input.spec.owner.accountId, 'owner'),
    accountCheck(input.authorized.sts, input.spec.authorized.accountId, 'authorized'),
  ]);
  if (ownerBlocked) return { owner: { synced: false, changes: [], blocked: ownerBlocked } };
  const early: Change[] = [];
  if (input.spec.role.trust.principals === 'Users' && !authorizedBlocked) {
    const trusted = await prepareTrustedUsers(pass, options);
    if (trusted.blocked) {
      return {
        owner: { synced: false, changes: [] },
        authorized: { ...trusted, issued: [], users: [] },
      };
    }
    early.push(...trusted.changes);
  }
  const view = authorizedBlocked ? undefined : observeAuthorizedSide(pass, options);
  view?.catch(() => undefined);
  const creates = view?.then((v) => v.creates);
  creates?.catch(() => undefined);
  const owner = await reconcileOwner(pass, options, creates);
  if (!owner.synced || !owner.roleArn) return { owner };
  if (authorizedBlocked) {
    return {
      owner,
      authorized: { synced: false, changes: early, blocked: authorizedBlocked, issued: [], users: [] },
      roleArn: owner.roleArn,
    };
  }
  const authorized = await reconcileAuthorized(pass, owner.roleArn, options, await view);
  return {
    owner,
    authorized: { ...authorized, changes: [...early, ...authorized.changes] },
    roleArn: owner.roleArn,
  };
}

export interface RevocationOutcome {
  owner: OwnerRevocation;
  /** Absent when B's credentials could not be used (the owner side is revoked regardless). */
  authorized?: SideRevocation;
  authorizedError?: Blocked;
  startedAt: Date;
  /**
   * Milliseconds from the start until the role had no policies. Outstanding tokens stop being honoured
   * once that change has propagated in Alibaba Cloud, which takes a little longer.
   */
  accessRevokedAfterMs: number | undefined;
  finishedAt: Date;
}

/**
 * Revocation, in the order that kills access first (docs/design.md#revocation-order): A's role loses every
 * policy, the role and the delegation's custom policies go, then B's grant, users and group, each deleted by
 * name from the spec and the record (`input.record`), which keeps every entity until a delete confirmed it
 * gone. The owner side is revoked even when B's credentials no longer work, because that alone ends access;
 * B's leftovers are reported.
 */
export async function revokeDelegation(
  input: Omit<DelegationInput, 'stored' | 'correctionsAreDrift' | 'adopt'>,
  options: Pick<EngineOptions, 'concurrency' | 'clock' | 'sleep'>,
): Promise<RevocationOutcome> {
  const startedAt = options.clock();
  const record = input.record ?? new InventoryRecord();
  const ownerDesired = desiredOwner(input.spec, input.ownership);
  const ownerBlocked = await accountCheck(input.owner.sts, input.spec.owner.accountId, 'owner');
  if (ownerBlocked) throw new RevocationBlockedError(ownerBlocked);
  const roleArnLabel = record.roleArn ?? roleArn(input.spec.owner.accountId, input.spec.role.name);
  const owner = await revokeOwner(input.owner.ram, ownerDesired, input.ownership, record, options);
  const revokedAt = owner.roleHadNoPoliciesAt;
  const accessRevokedAfterMs =
    revokedAt === undefined ? undefined : Math.max(0, revokedAt.getTime() - startedAt.getTime());

  const authorizedBlocked = await accountCheck(
    input.authorized.sts,
    input.spec.authorized.accountId,
    'authorized',
  );
  if (authorizedBlocked) {
    return {
      owner,
      authorizedError: authorizedBlocked,
      startedAt,
      accessRevokedAfterMs,
      finishedAt: options.clock(),
    };
  }
  const desired = desiredAuthorized(input.spec, input.ownership, roleArnLabel);
  const authorized = await revokeAuthorized(input.authorized.ram, desired, input.ownership, record, options);
  return { owner, authorized, startedAt, accessRevokedAfterMs, finishedAt: options.clock() };
}

/** Revocation cannot start safely (the owner credentials act in another account): nothing was touched. */
export class RevocationBlockedError extends Error {
  constructor(readonly blocked: Blocked) {
    super(blocked.message);
    this.name = 'RevocationBlockedError';
  }
}
