import { ConditionType, Reason } from '../../api/constants.js';
import { mfaVerification, verifyAccess } from '../../delegation/verify.js';
import { findCondition } from '../conditions.js';
import { fromStep, isSettledGeneration, type SyncPass, type SyncStep } from './sync-pass.js';

/**
 * Once both sides are synced (and access is not suspended or expired), a Programmatic user of B assumes
 * the role (by the ARN RAM returned) with its own stored AccessKey: proof that the delegation works end
 * to end. With `requireMFA: true` no AssumeRole is made: an AccessKey carries no MFA, so it could not
 * succeed. A resync that changed nothing keeps the proof it already has rather than use the user's key
 * again: the key's last use (`status.users[].accessKeyLastUsed`) then tells whether anyone uses it.
 */
export const verifyStep: SyncStep = {
  name: 'verify',
  async run(pass) {
    const spec = fromStep(pass.spec, 'validate');
    const { accessKeys } = fromStep(pass.userSecrets, 'credentials');
    const synced = !pass.blocked && pass.users !== undefined;
    if (!synced || spec.suspend || fromStep(pass.expiry, 'validate').expired) return 'continue';
    const roleArn = fromStep(pass.roleArn, 'owner');
    if (spec.role.trust.requireMFA) {
      pass.verification = mfaVerification(roleArn);
      return 'continue';
    }
    const verifier = spec.users.find((u) => u.access === 'Programmatic' && accessKeys.has(u.name));
    const key = verifier && accessKeys.get(verifier.name);
    if (!verifier || !key) return 'continue';
    const proven = provenBefore(pass);
    if (proven) {
      pass.verification = proven;
      return 'continue';
    }
    const ports = pass.deps.access.authorized.portsForKey(spec.authorized.accountId, key);
    pass.verification = await verifyAccess(ports.sts, roleArn, `user ${verifier.name}`);
    return 'continue';
  },
};

/** Access verified by an earlier pass of this generation, when this pass changed nothing since. */
function provenBefore(pass: SyncPass): SyncPass['verification'] {
  if (pass.changes.length > 0 || pass.issued.length > 0 || !isSettledGeneration(pass.object))
    return undefined;
  const verified = findCondition(pass.object.status?.conditions, ConditionType.AccessVerified);
  if (verified?.status !== 'True') return undefined;
  return { verified: true, attempted: true, reason: Reason.AssumeRoleSucceeded, message: verified.message };
}
