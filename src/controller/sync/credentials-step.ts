import { ADOPT_ANNOTATION, ROTATE_ACCESS_KEYS_ANNOTATION, Reason } from '../../api/constants.js';
import type { Blocked, Side } from '../../delegation/change.js';
import type { AccountPorts } from '../../delegation/context.js';
import { ownershipOf } from '../../delegation/ownership.js';
import { AccountAccess } from '../account-access.js';
import { readUserSecrets, secretOwner } from '../user-secrets.js';
import { fromStep, isSettledGeneration, type SyncStep } from './sync-pass.js';

/**
 * Resolves both accounts' credentials into ports, protects the credential Secrets with the in-use finalizer,
 * reads the user credentials this delegation stored, and checks that each side's credentials act in the
 * declared account (docs/design.md#credentials). A mismatch blocks that side in its own step.
 */
export const credentialsStep: SyncStep = {
  name: 'credentials',
  async run(pass) {
    const { deps, object, namespace } = pass;
    const spec = fromStep(pass.spec, 'validate');
    // Protected (and so labelled, and watched) before they are read: an edit that fixes a Secret
    // the lookup below rejects must still reach this delegation.
    await deps.credentialSecrets.protect(namespace, [
      AccountAccess.secretName(spec.owner),
      AccountAccess.secretName(spec.authorized),
    ]);
    const [owner, authorized] = await Promise.all([
      deps.access.owner.portsFor(namespace, spec.owner),
      deps.access.authorized.portsFor(namespace, spec.authorized),
    ]);
    pass.userSecrets = await readUserSecrets(deps.kube.core, secretOwner(object), spec.users);
    const [ownerMismatch, authorizedMismatch] = await Promise.all([
      accountMismatch(owner, spec.owner.accountId, 'owner'),
      accountMismatch(authorized, spec.authorized.accountId, 'authorized'),
    ]);
    pass.accountMismatch = {
      ...(ownerMismatch ? { owner: ownerMismatch } : {}),
      ...(authorizedMismatch ? { authorized: authorizedMismatch } : {}),
    };
    const identity = { cluster: deps.clusterName, namespace, name: object.metadata.name };
    const rotationRequest = object.metadata.annotations?.[ROTATE_ACCESS_KEYS_ANNOTATION];
    pass.input = {
      identity,
      ownership: ownershipOf(identity),
      spec,
      adopt: object.metadata.annotations?.[ADOPT_ANNOTATION] === 'true',
      correctionsAreDrift: isSettledGeneration(object),
      owner,
      authorized,
      stored: pass.userSecrets.stored,
      expired: fromStep(pass.expiry, 'validate').expired,
      ...(rotationRequest !== undefined ? { rotationRequest } : {}),
    };
    return 'continue';
  },
};

/** Who the credentials really are (GetCallerIdentity), against the account the spec declares. */
async function accountMismatch(
  ports: AccountPorts,
  declaredAccountId: string,
  side: Side,
): Promise<Blocked | undefined> {
  const identity = await ports.sts.getCallerIdentity();
  if (identity.accountId === declaredAccountId) return undefined;
  return {
    reason: Reason.CredentialsAccountMismatch,
    message: `${side} credentials: The credentials belong to account ${identity.accountId} (${identity.arn}), not to the declared account ${declaredAccountId}`,
  };
}
