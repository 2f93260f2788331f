import { describeProblems, parseSpec } from '../../api/parse.js';
import { expiryOf } from '../../delegation/expiry.js';
import type { SyncStep } from './sync-pass.js';

/**
 * Runtime validation the CRD cannot express (sizes, uniqueness): an invalid spec stops the pass. A
 * valid one is read against the pass's clock once: has it expired, and when does that change next.
 */
export const validateStep: SyncStep = {
  name: 'validate',
  async run(pass) {
    const spec = parseSpec(pass.object.spec);
    if (spec.ok) {
      pass.spec = spec.value;
      pass.expiry = expiryOf(spec.value.expiresAt, pass.now, pass.deps.lifecycle.settings.expiryWarningMs);
      if (pass.expiry.changesAt) pass.wakeAt.push(pass.expiry.changesAt);
      return 'continue';
    }
    pass.log.warn({ problems: spec.problems }, 'invalid spec');
    pass.invalid = describeProblems(spec.problems);
    return 'stop';
  },
};
