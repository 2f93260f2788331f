import { Reason } from '../api/constants.js';
import { CredentialsAccountMismatchError } from '../alicloud/errors.js';
import { verifyAccount } from '../alicloud/credentials.js';
import type { StsPort } from '../alicloud/ports.js';
import type { Blocked } from './change.js';
import type { DelegationInput, EngineOptions } from './context.js';
import type { SideRevocation } from './revocation.js';
import {
  reconcileAuthorized,
  revokeAuthorized,
  desiredAuthorized,
  type AuthorizedOutcome,
} from './authorized/index.js';
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
  roleArn: string;
}

/**
 * Checks that a side's credentials act in the declared account: a mismatch blocks the side (the operator
 * must never create a role in the wrong company's account). Other failures propagate.
 */
async function accountCheck(sts: StsPort, accountId: string, side: string): Promise<Blocked | undefined> {
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
 * once A is synced, the authorized side (users, group, grant). Credentials issued for B's users are in
 * `authorized.issued`; the caller must store them before anything else.
 */
export async function reconcileDelegation(
  input: DelegationInput,
  options: EngineOptions,
): Promise<ReconcileOutcome> {
  const specRoleArn = roleArn(input.spec.owner.accountId, input.spec.role.name);
  const [ownerBlocked, authorizedBlocked] = await Promise.all([
    accountCheck(input.owner.sts, input.spec.owner.accountId, 'owner'),
    accountCheck(input.authorized.sts, input.spec.authorized.accountId, 'authorized'),
  ]);
  if (ownerBlocked) {
    return {
      owner: { synced: false, changes: [], blocked: ownerBlocked, roleArn: specRoleArn },
      roleArn: specRoleArn,
    };
  }
  const owner = await reconcileOwner(input, options);
  if (!owner.synced) return { owner, roleArn: specRoleArn };
  if (authorizedBlocked) {
    return {
      owner,
      authorized: { synced: false, changes: [], blocked: authorizedBlocked, issued: [], users: [] },
      roleArn: specRoleArn,
    };
  }
  const authorized = await reconcileAuthorized(input, owner.roleArn, options);
  return { owner, authorized, roleArn: owner.roleArn };
}

export interface RevocationOutcome {
  owner: OwnerRevocation;
  /** Absent when B's credentials could not be used (the owner side is revoked regardless). */
  authorized?: SideRevocation;
  authorizedError?: Blocked;
  startedAt: Date;
  /** Milliseconds from the start until the role had no policies: how long outstanding tokens still worked. */
  accessRevokedAfterMs: number | undefined;
  finishedAt: Date;
}

/**
 * Revocation, in the order that kills access first (DESIGN §3): A's role loses every policy, the role and
 * the delegation's custom policies go, then B's grant, users and group. The owner side is revoked even
 * when B's credentials no longer work, because that alone ends access; B's leftovers are reported.
 */
export async function revokeDelegation(
  input: Omit<DelegationInput, 'stored' | 'correctionsAreDrift' | 'adopt'>,
  options: Pick<EngineOptions, 'concurrency' | 'clock'>,
): Promise<RevocationOutcome> {
  const startedAt = options.clock();
  const ownerDesired = desiredOwner(input.spec, input.ownership);
  const ownerBlocked = await accountCheck(input.owner.sts, input.spec.owner.accountId, 'owner');
  if (ownerBlocked) throw new RevocationBlockedError(ownerBlocked);
  const owner = await revokeOwner(input.owner.ram, ownerDesired, input.ownership, options);
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
  const desired = desiredAuthorized(input.spec, input.ownership, ownerDesired.role.arn);
  const authorized = await revokeAuthorized(input.authorized.ram, desired, input.ownership, options);
  return { owner, authorized, startedAt, accessRevokedAfterMs, finishedAt: options.clock() };
}

/** Revocation cannot start safely (the owner credentials act in another account): nothing was touched. */
export class RevocationBlockedError extends Error {
  constructor(readonly blocked: Blocked) {
    super(blocked.message);
    this.name = 'RevocationBlockedError';
  }
}
