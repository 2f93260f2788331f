import { DELEGATION_FINALIZER } from '../../api/constants.js';
import { addFinalizer, delegationPatcher } from '../finalizers.js';
import type { SyncStep } from './sync-pass.js';

/** Puts the delegation's finalizer on before anything is created, so deletion always revokes. */
export const finalizerStep: SyncStep = {
  name: 'finalizer',
  retriesQuietly: true,
  async run({ deps, raw }) {
    await addFinalizer(delegationPatcher(deps.kube.customObjects), raw, DELEGATION_FINALIZER);
    return 'continue';
  },
};
