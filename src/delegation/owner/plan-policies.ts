import type { PolicyVersionInfo } from '../../alicloud/ports.js';
import { policiesEqual } from '../policy-compare.js';
import { OwnerPhase, policyEntity, type OwnerPlanBuilder } from './actions.js';
import type { DesiredCustomPolicy, DesiredOwner } from './desired.js';
import type { ObservedPolicy } from './observed.js';

/** RAM keeps at most this many versions of a custom policy. */
export const MAX_POLICY_VERSIONS = 5;

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
  plan: OwnerPlanBuilder,
  policy: DesiredCustomPolicy,
  observed: ObservedPolicy | undefined,
  desired: DesiredOwner,
  drift: boolean,
): void {
  const entity = policyEntity(policy.name);
  if (!observed) {
    const { name: policyName, document, description } = policy;
    plan.add(
      OwnerPhase.prepare,
      { kind: 'createPolicy', policyName, document, description, tags: desired.tags },
      { verb: 'Created', entity, description: `create custom policy ${policy.name}`, drift },
    );
    return;
  }
  if (observed.owner.kind === 'unmarked') {
    plan.add(
      OwnerPhase.prepare,
      { kind: 'tagPolicy', policyName: policy.name, tags: desired.tags },
      { verb: 'Tagged', entity, description: `adopt custom policy ${policy.name}`, drift: false },
    );
  }
  if (policiesEqual(observed.info.document, policy.document)) return;

  const versions = observed.versions;
  const oldest = versions && versions.length >= MAX_POLICY_VERSIONS ? oldestNonDefault(versions) : undefined;
  if (oldest) {
    plan.add(
      OwnerPhase.prepare,
      { kind: 'deletePolicyVersion', policyName: policy.name, versionId: oldest.versionId },
      {
        verb: 'Deleted',
        entity: `${entity}@${oldest.versionId}`,
        description: `delete version ${oldest.versionId} of custom policy ${policy.name} (RAM keeps at most ${MAX_POLICY_VERSIONS} versions)`,
        drift,
      },
    );
  }
  plan.add(
    OwnerPhase.documents,
    { kind: 'createPolicyVersion', policyName: policy.name, document: policy.document },
    {
      verb: 'Updated',
      entity,
      description: `set a new default version of custom policy ${policy.name} (document differs from the spec)`,
      drift,
    },
  );
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
