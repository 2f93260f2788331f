import { mfaVerification, verifyAccess } from '../../delegation/verify.js';
import { fromStep, type SyncStep } from './sync-pass.js';

/**
 * Once both sides are synced (and access is not suspended), a Programmatic user of B assumes the role
 * (by the ARN RAM returned) with its own stored AccessKey: proof that the delegation works end to end.
 * With `requireMFA: true` no AssumeRole is made: an AccessKey carries no MFA, so it could not succeed.
 */
export const verifyStep: SyncStep = {
  name: 'verify',
  async run(pass) {
    const spec = fromStep(pass.spec, 'validate');
    const { accessKeys } = fromStep(pass.userSecrets, 'credentials');
    const synced = !pass.blocked && pass.users !== undefined;
    if (!synced || spec.suspend) return 'continue';
    const roleArn = fromStep(pass.roleArn, 'owner');
    if (spec.role.trust.requireMFA) {
      pass.verification = mfaVerification(roleArn);
      return 'continue';
    }
    const verifier = spec.users.find((u) => u.access === 'Programmatic' && accessKeys.has(u.name));
    const key = verifier && accessKeys.get(verifier.name);
    if (!verifier || !key) return 'continue';
    const ports = pass.deps.access.authorized.portsForKey(spec.authorized.accountId, key);
    pass.verification = await verifyAccess(ports.sts, roleArn, `user ${verifier.name}`);
    return 'continue';
  },
};
