import type { PolicyVersionInfo, Tags } from '../../alicloud/ports.js';
import type { Step } from '../action.js';
import { policiesEqual } from '../policy-compare.js';
import type { OwnerOp } from './actions.js';
import type { DesiredCustomPolicy } from './desired.js';
import type { ObservedPolicy } from './observed.js';

/** RAM keeps at most this many versions of a custom policy. */
const MAX_POLICY_VERSIONS = 5;

/**
 * Plans one spec custom policy: create it (tagged), adopt it (tag it), or give it a new default version
 * when its document differs by meaning. The description is set only at creation (the port has no
 * UpdatePolicyDescription), so a description edited in the console is not put back.
 *
 * Version limit: when a new version is needed and the policy already has {@link MAX_POLICY_VERSIONS},
 * the oldest non-default version is deleted first (an explicit action, so it is visible and does not
 * depend on the port's RotateStrategy). When the versions were not observed, no slot is freed and the
 * port's RotateStrategy is relied on.
 */
export function planCustomPolicy(
  policy: DesiredCustomPolicy,
  observed: ObservedPolicy | undefined,
  tags: Tags,
): Step<OwnerOp>[] {
  const { name: policyName, document, description } = policy;
  if (!observed)
    return [{ phase: 'create', op: { kind: 'createPolicy', policyName, document, description, tags } }];
  const steps: Step<OwnerOp>[] = [];
  if (observed.owner.kind === 'unmarked') {
    steps.push({ phase: 'prepare', op: { kind: 'tagPolicy', policyName, tags } });
  } else if (observed.owner.kind === 'ours' && observed.owner.restoreTag) {
    steps.push({ phase: 'prepare', op: { kind: 'tagPolicy', policyName, tags, restore: true } });
  }
  if (policiesEqual(observed.info.document, document)) return steps;

  const versions = observed.versions;
  const oldest = versions && versions.length >= MAX_POLICY_VERSIONS ? oldestNonDefault(versions) : undefined;
  if (oldest) {
    steps.push({
      phase: 'prepare',
      op: { kind: 'deletePolicyVersion', policyName, versionId: oldest.versionId },
      why: `RAM keeps at most ${MAX_POLICY_VERSIONS} versions`,
    });
  }
  steps.push({
    phase: 'create',
    op: { kind: 'createPolicyVersion', policyName, document },
    why: 'document differs from the spec',
  });
  return steps;
}

/** The oldest version that is not the default: by creation time, then by version number. */
export function oldestNonDefault(versions: readonly PolicyVersionInfo[]): PolicyVersionInfo | undefined {
  const number = (id: string) => Number(/\d+/.exec(id)?.[0] ?? Number.MAX_SAFE_INTEGER);
  const time = (date: string) => {
    const t = Date.parse(date);
    return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
  };
  return versions
    .filter((v) => !v.isDefault)
    .sort((a, b) => time(a.createDate) - time(b.createDate) || number(a.versionId) - number(b.versionId))[0];
}
