import { describeProblems, parseSpec } from '../../api/parse.js';
import type { SyncStep } from './sync-pass.js';

/** Runtime validation the CRD cannot express (sizes, uniqueness): an invalid spec stops the pass. */
export const validateStep: SyncStep = {
  name: 'validate',
  async run(pass) {
    const spec = parseSpec(pass.object.spec);
    if (spec.ok) {
      pass.spec = spec.value;
      return 'continue';
    }
    pass.log.warn({ problems: spec.problems }, 'invalid spec');
    pass.invalid = describeProblems(spec.problems);
    return 'stop';
  },
};
