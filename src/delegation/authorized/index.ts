import type { Change } from '../change.js';
import type { DelegationInput, EngineOptions, IssuedCredential, SideOutcome } from '../context.js';
import { ApplyError, runPhased } from '../run-phased.js';
import { desiredAuthorized } from './desired.js';
import { executeAuthorizedOp } from './execute.js';
import { observeAuthorized } from './observe.js';
import { planAuthorized } from './plan.js';

export { revokeAuthorized } from './revoke.js';
export { desiredAuthorized, emptyAuthorized, scopedPolicyName, type DesiredAuthorized } from './desired.js';
export { observeAuthorized, type ObservedAuthorized } from './observe.js';
export { planAuthorized } from './plan.js';
export { executeAuthorizedOp } from './execute.js';
export type { AuthorizedAction, AuthorizedOp } from './actions.js';

/** A spec user as the status reports it. */
export interface AuthorizedUserStatus {
  name: string;
  principalName: string;
  credentialsSecretName: string;
}

export interface AuthorizedOutcome extends SideOutcome {
  /** Secrets created this pass: the caller must store each in its user's Secret now. Never log them. */
  issued: IssuedCredential[];
  users: AuthorizedUserStatus[];
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
 * One pass over account B: desired → observe → plan → apply (the same idiom as the owner side). Blocked
 * (EntityNotManaged) means nothing was written. `roleArn` is the role in account A as RAM reported it.
 */
export async function reconcileAuthorized(
  input: DelegationInput,
  roleArn: string,
  options: EngineOptions,
): Promise<AuthorizedOutcome> {
  const ram = input.authorized.ram;
  const desired = desiredAuthorized(input.spec, input.ownership, roleArn);
  const users = desired.users.map((u) => ({
    name: u.name,
    principalName: u.principalName,
    credentialsSecretName: u.credentialsSecretName,
  }));
  const observed = await observeAuthorized(ram, desired, input.ownership, {
    concurrency: options.concurrency,
  });
  const plan = planAuthorized(desired, observed, input.stored, {
    adopt: input.adopt,
    correctionsAreDrift: input.correctionsAreDrift,
  });
  if (plan.blocked) return { synced: false, changes: [], blocked: plan.blocked, issued: [], users };

  const issued: IssuedCredential[] = [];
  let changes: Change[];
  try {
    changes = await runPhased(
      plan.actions,
      async (action) => {
        const credential = await executeAuthorizedOp(ram, action.op, options);
        if (credential) issued.push(credential);
      },
      { concurrency: options.concurrency },
    );
  } catch (error) {
    if (error instanceof ApplyError) throw new AuthorizedApplyError(error, issued);
    throw error;
  }
  return { synced: true, changes, issued, users };
}
