import { observeAuthorizedSide } from '../../delegation/authorized/index.js';
import { reconcileOwner } from '../../delegation/owner/index.js';
import { block, fromStep, type SyncStep } from './sync-pass.js';

/**
 * Account A: the role, its trust policy, the custom policies and exactly the spec's attachments. A
 * blocked owner side stops the pass: B is only touched once A's role is right. Account B is read
 * meanwhile (its reads do not depend on A), so B's creates join A's in one write-ahead of the record.
 */
export const ownerStep: SyncStep = {
  name: 'owner',
  async run(pass) {
    const input = fromStep(pass.input, 'credentials');
    if (pass.accountMismatch.owner) {
      block(pass, 'owner', pass.accountMismatch.owner);
      return 'stop';
    }
    if (!pass.accountMismatch.authorized) {
      const view = observeAuthorizedSide(input, pass.deps.engine);
      // Awaited by the authorized step; a failure surfaces there (or below, before A's first write).
      view.catch(() => undefined);
      pass.authorizedView = view;
    }
    const creates = pass.authorizedView?.then((view) => view.creates);
    creates?.catch(() => undefined);
    const outcome = await reconcileOwner(input, pass.deps.engine, creates);
    pass.changes.push(...outcome.changes);
    if (outcome.blocked) block(pass, 'owner', outcome.blocked);
    if (!outcome.synced) return 'stop';
    pass.roleArn = outcome.roleArn;
    return 'continue';
  },
};
