import { AuthorizedApplyError, reconcileAuthorized } from '../../delegation/authorized/index.js';
import { storeIssued } from './store-secrets-step.js';
import { block, fromStep, type SyncStep } from './sync-pass.js';

/**
 * Account B: users and their credentials, the group, the AssumeRole grant. A blocked authorized side
 * does not stop the pass: A's changes are still recorded.
 */
export const authorizedStep: SyncStep = {
  name: 'authorized',
  async run(pass) {
    const input = fromStep(pass.input, 'credentials');
    const roleArn = fromStep(pass.roleArn, 'owner');
    if (pass.accountMismatch.authorized) {
      block(pass, 'authorized', pass.accountMismatch.authorized);
      return 'continue';
    }
    let outcome;
    try {
      const view = pass.authorizedView ? await pass.authorizedView : undefined;
      outcome = await reconcileAuthorized(input, roleArn, pass.deps.engine, view);
    } catch (error) {
      // Keys issued before a failure are stored all the same, so the next pass need not reissue them.
      if (error instanceof AuthorizedApplyError) await storeIssued(pass, error.issued);
      throw error;
    }
    pass.changes.push(...outcome.changes);
    pass.issued.push(...outcome.issued);
    if (outcome.wakeAt) pass.wakeAt.push(outcome.wakeAt);
    if (outcome.blocked) block(pass, 'authorized', outcome.blocked);
    else if (outcome.synced) pass.users = outcome.users;
    return 'continue';
  },
};
