import { verifyAccess } from '../../delegation/verify.js';
import { fromStep, type SyncStep } from './sync-pass.js';

/**
 * Once both sides are synced (and access is not suspended), a Programmatic user of B assumes the role
 * with its own stored AccessKey: proof that the delegation works end to end.
 */
export const verifyStep: SyncStep = {
  name: 'verify',
  async run(pass) {
    const spec = fromStep(pass.spec, 'validate');
    const { accessKeys } = fromStep(pass.userSecrets, 'credentials');
    const synced = !pass.blocked && pass.users !== undefined;
    const verifier = spec.users.find((u) => u.access === 'Programmatic' && accessKeys.has(u.name));
    const key = verifier && accessKeys.get(verifier.name);
    if (!synced || spec.suspend || !verifier || !key) return 'continue';
    const ports = pass.deps.access.authorized.portsForKey(spec.authorized.accountId, key);
    pass.verification = await verifyAccess(
      ports.sts,
      fromStep(pass.roleArn, 'owner'),
      `user ${verifier.name}`,
    );
    return 'continue';
  },
};
