import { reconcileOwner } from '../../delegation/owner/index.js';
import { block, fromStep, type SyncStep } from './sync-pass.js';

/**
 * Account A: the role, its trust policy, the custom policies and exactly the spec's attachments. A
 * blocked owner side stops the pass: B is only touched once A's role is right.
 */
export const ownerStep: SyncStep = {
  name: 'owner',
  async run(pass) {
    const input = fromStep(pass.input, 'credentials');
    if (pass.accountMismatch.owner) {
      block(pass, 'owner', pass.accountMismatch.owner);
      return 'stop';
    }
    const outcome = await reconcileOwner(input, pass.deps.engine);
    pass.changes.push(...outcome.changes);
    if (outcome.blocked) block(pass, 'owner', outcome.blocked);
    if (!outcome.synced) return 'stop';
    pass.roleArn = outcome.roleArn;
    return 'continue';
  },
};
