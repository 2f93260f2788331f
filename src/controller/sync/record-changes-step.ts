import { changeEvents } from '../change-events.js';
import type { SyncStep } from './sync-pass.js';

/** Tells what the pass changed: the drift metric, Created / Updated / DriftCorrected Events, a log line. */
export const recordChangesStep: SyncStep = {
  name: 'record changes',
  async run({ deps, subject, log, changes }) {
    const drift = changes.filter((c) => c.drift);
    if (drift.length > 0) deps.metrics?.driftCorrections.inc({ side: drift[0]!.side }, drift.length);
    for (const event of changeEvents(changes)) await deps.events.record(subject, event);
    if (changes.length > 0) log.info({ changes: changes.map((c) => c.description) }, 'applied changes');
    return 'continue';
  },
};
