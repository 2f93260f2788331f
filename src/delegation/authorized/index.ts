import type { Change } from '../change.js';
import {
  DEFAULT_TAG_GRACE_MS,
  type DelegationInput,
  type EngineOptions,
  type IssuedCredential,
  type SideOutcome,
} from '../context.js';
import { InventoryRecord, type RecordedEntity, type RecordedKind } from '../inventory.js';
import { runRecorded } from '../recorded-apply.js';
import { ApplyError } from '../run-phased.js';
import { firstTimerAfterIssue } from './access-keys.js';
import { desiredAuthorized, type DesiredUser } from './desired.js';
import { executeAuthorizedOp } from './execute.js';
import { observeAuthorized, type ObservedAuthorized } from './observe.js';
import { planAuthorized } from './plan.js';

export { revokeAuthorized } from './revoke.js';
export { desiredAuthorized, scopedPolicyName } from './desired.js';
export { planAuthorized } from './plan.js';
export { prepareTrustedUsers } from './trusted-users.js';
/** A spec user as the status reports it. */
export interface AuthorizedUserStatus {
  name: string;
  principalName: string;
  credentialsSecretName: string;
  /** Programmatic users: the AccessKey their Secret holds after this pass (issued now, or kept). */
  accessKey?: { accessKeyId: string; createDate: string };
}

export interface AuthorizedOutcome extends SideOutcome {
  /** Secrets created this pass: the caller must store each in its user's Secret now. Never log them. */
  issued: IssuedCredential[];
  users: AuthorizedUserStatus[];
  /** The next moment an AccessKey rotation step falls due (see access-keys.ts), if one is pending. */
  wakeAt?: Date;
}

/**
 * An action failed part-way through the pass. Besides what `ApplyError` says, it carries the
 * credentials issued before the failure: the caller should still store them (if it does not, the next
 * pass deletes those keys as unstored and issues new ones, which is safe but wasteful). `issued` is
 * not enumerable, so logging or serializing the error never prints the secrets.
 */
export class AuthorizedApplyError extends ApplyError {
  declare readonly issued: IssuedCredential[];

  constructor(error: ApplyError, issued: IssuedCredential[]) {
    super(error.cause, error.done, error.failed);
    this.name = 'AuthorizedApplyError';
    Object.defineProperty(this, 'issued', { value: issued, enumerable: false });
  }
}

/**
 * Account B as observed for one pass, before the owner side is applied: B's reads depend only on the
 * spec and the record, not on the role's ARN, so the operator reads B while (or before) it works on A,
 * and records B's creates in the same write-ahead as A's.
 */
export interface AuthorizedView {
  observed: ObservedAuthorized;
  /** B's account alias (the users' sign-in domain). */
  alias: string;
  /** The users, group and grant policy this pass will create in B (they do not exist yet). */
  creates: RecordedEntity[];
}

/** Reads account B by name for one pass (see {@link AuthorizedView}). */
export async function observeAuthorizedSide(
  input: DelegationInput,
  options: EngineOptions,
): Promise<AuthorizedView> {
  const ram = input.authorized.ram;
  const record = input.record ?? new InventoryRecord();
  const alias = input.spec.users.length > 0 ? await ram.getAccountAlias() : input.spec.authorized.accountId;
  const desired = desiredAuthorized(input.spec, input.ownership, '', alias);
  const observed = await observeAuthorized(ram, desired, input.ownership, record, {
    concurrency: options.concurrency,
    full: !input.correctionsAreDrift,
    now: options.clock(),
    tagGraceMs: options.tagGraceMs ?? DEFAULT_TAG_GRACE_MS,
    storedKeyIds: input.stored.accessKeyIds,
    ...(input.storedKeyWorks ? { storedKeyWorks: input.storedKeyWorks } : {}),
  });
  const authorized = (kind: RecordedKind, name: string): RecordedEntity => ({
    side: 'authorized',
    kind,
    name,
  });
  const creates = [
    ...desired.users.filter((u) => !observed.users.has(u.name)).map((u) => authorized('user', u.name)),
    ...(desired.group && !observed.group ? [authorized('group', desired.group.name)] : []),
    ...(desired.grant.kind === 'Scoped' && !observed.scopedPolicy
      ? [authorized('policy', desired.grant.scoped.policyName)]
      : []),
  ];
  return { observed, alias, creates };
}

/**
 * One pass over account B: desired → observe → plan → apply (the same idiom as the owner side). Blocked
 * (EntityNotManaged) means nothing was written. `roleArn` is the role in account A as RAM returned it.
 * `view`: B as read earlier in this pass (else it is read now).
 */
export async function reconcileAuthorized(
  input: DelegationInput,
  roleArn: string,
  options: EngineOptions,
  view?: AuthorizedView,
): Promise<AuthorizedOutcome> {
  const ram = input.authorized.ram;
  const record = input.record ?? new InventoryRecord();
  const { observed, alias } = view ?? (await observeAuthorizedSide({ ...input, record }, options));
  const desired = desiredAuthorized(input.spec, input.ownership, roleArn, alias);
  const users = desired.users.map((u) => ({
    name: u.name,
    principalName: u.principalName,
    credentialsSecretName: u.credentialsSecretName,
  }));
  const plan = planAuthorized(desired, observed, input.stored, {
    adopt: input.adopt,
    correctionsAreDrift: input.correctionsAreDrift,
    now: options.clock(),
    rotationRequest: input.rotationRequest,
  });
  if (plan.blocked) return { synced: false, changes: [], blocked: plan.blocked, issued: [], users };

  const issued: IssuedCredential[] = [];
  const rotatedFor = input.rotationRequest === undefined ? {} : { rotatedFor: input.rotationRequest };
  let changes: Change[];
  try {
    changes = await runRecorded(
      plan.actions,
      record,
      async (action) => {
        const credential = await executeAuthorizedOp(ram, action.op, options);
        // Every new key answers the current rotation request: it is as fresh as a rotation makes it.
        if (credential)
          issued.push(credential.kind === 'AccessKey' ? { ...credential, ...rotatedFor } : credential);
      },
      { concurrency: options.concurrency },
    );
  } catch (error) {
    if (error instanceof ApplyError) throw new AuthorizedApplyError(error, issued);
    throw error;
  }
  record.note([
    ...desired.users.map((u) => ({ side: 'authorized' as const, kind: 'user' as const, name: u.name })),
    ...(desired.group
      ? [{ side: 'authorized' as const, kind: 'group' as const, name: desired.group.name }]
      : []),
    ...(desired.grant.kind === 'Scoped'
      ? [{ side: 'authorized' as const, kind: 'policy' as const, name: desired.grant.scoped.policyName }]
      : []),
  ]);
  const withKeys = users.map((user) => withAccessKey(user, observed, input.stored, issued));
  const wakes = [plan.wakeAt, ...timersOfIssuedKeys(desired.users, issued, changes)].flatMap((at) =>
    at ? [at.getTime()] : [],
  );
  const wakeAt = wakes.length > 0 ? { wakeAt: new Date(Math.min(...wakes)) } : {};
  return { synced: true, changes, issued, users: withKeys, ...wakeAt };
}

/** The timers of the keys this pass issued, which its plan (made before they existed) could not know. */
function timersOfIssuedKeys(
  users: readonly DesiredUser[],
  issued: readonly IssuedCredential[],
  changes: readonly Change[],
): (Date | undefined)[] {
  return issued.map((credential) => {
    if (credential.kind !== 'AccessKey') return undefined;
    const user = users.find((u) => u.name === credential.userName);
    const rotated = changes.some(
      (c) => c.verb === 'Rotated' && c.entity === `accesskey/${credential.userName}`,
    );
    return firstTimerAfterIssue(credential.createDate, user?.accessKeyRotation, rotated);
  });
}

/** The key a user's Secret holds once the pass's credentials are stored: the one issued, else the kept one. */
function withAccessKey(
  user: AuthorizedUserStatus,
  observed: ObservedAuthorized,
  stored: DelegationInput['stored'],
  issued: readonly IssuedCredential[],
): AuthorizedUserStatus {
  const fresh = issued.filter((c) => c.userName === user.name && c.kind === 'AccessKey').at(-1);
  if (fresh?.kind === 'AccessKey') {
    return { ...user, accessKey: { accessKeyId: fresh.accessKeyId, createDate: fresh.createDate } };
  }
  const storedId = stored.accessKeyIds.get(user.name);
  const kept = observed.users.get(user.name)?.accessKeys.find((k) => k.accessKeyId === storedId);
  return kept ? { ...user, accessKey: { accessKeyId: kept.accessKeyId, createDate: kept.createDate } } : user;
}
