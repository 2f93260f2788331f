import { prepareTrustedUsers } from '../../delegation/authorized/index.js';
import { block, fromStep, type SyncStep } from './sync-pass.js';

/**
 * `principals: Users`: B's spec users are created before account A's trust policy names them
 * (docs/design.md#reconcile). Blocked users stop the pass before A is touched.
 */
export const trustedUsersStep: SyncStep = {
  name: 'trusted users',
  async run(pass) {
    const input = fromStep(pass.input, 'credentials');
    if (input.spec.role.trust.principals !== 'Users') return 'continue';
    if (pass.accountMismatch.owner) return 'continue';
    if (pass.accountMismatch.authorized) {
      block(pass, 'authorized', pass.accountMismatch.authorized);
      return 'stop';
    }
    const outcome = await prepareTrustedUsers(input, pass.deps.engine);
    pass.changes.push(...outcome.changes);
    if (outcome.blocked) {
      block(pass, 'authorized', outcome.blocked);
      return 'stop';
    }
    return 'continue';
  },
};
