/**
 * Shared helpers for the owner-side unit tests: the desired state of a spec built with the one spec
 * builder (`test/support/gen.ts`), hand-built observations, and a model of what an apply leaves.
 */
import type { PolicyRef, PolicyVersionInfo } from '../../../../src/alicloud/ports.js';
import { PHASES } from '../../../../src/delegation/action.js';
import { ownershipOf } from '../../../../src/delegation/ownership.js';
import type { OwnerAction } from '../../../../src/delegation/owner/actions.js';
import {
  desiredOwner,
  roleArn,
  type DesiredOwner,
  type SpecOwner,
} from '../../../../src/delegation/owner/desired.js';
import type {
  EntityOwner,
  ObservedOwner,
  ObservedPolicy,
} from '../../../../src/delegation/owner/observed.js';
import { TEST_OWNERSHIP, aDelegation, withSystemPolicy, type SpecModifier } from '../../../support/gen.js';

/** The system policy the owner tests add to the seed spec, so both policy types are attached. */
export const SYSTEM = 'AliyunEventBridgeReadOnlyAccess';
export const ownership = TEST_OWNERSHIP;
export const otherOwnership = ownershipOf({ cluster: 'test', namespace: 'platform', name: 'someone-else' });

/** Account A's desired state for the seed spec plus {@link SYSTEM}, changed by `modifiers`. */
export function desired(...modifiers: SpecModifier[]): SpecOwner {
  return desiredOwner(aDelegation(withSystemPolicy(SYSTEM), ...modifiers), ownership);
}

const ours: EntityOwner = { kind: 'ours' };
/** When the fixtures' entities were created (long ago: their tags show). */
const CREATED = '2026-01-01T00:00:00Z';

export function version(n: number, isDefault: boolean, document: string): PolicyVersionInfo {
  return {
    versionId: `v${n}`,
    isDefault,
    document,
    createDate: new Date(Date.UTC(2026, 0, n)).toISOString().replace('.000', ''),
  };
}

/** Account A exactly as a successful apply of `want` leaves it. */
export function converged(want: SpecOwner): ObservedOwner {
  return {
    role: {
      info: {
        roleName: want.role.name,
        roleId: '300000000000000001',
        arn: roleArn(want.accountId, want.role.name),
        description: want.role.description,
        maxSessionDuration: want.role.maxSessionDuration,
        trustPolicy: want.role.trustPolicy,
        createDate: CREATED,
      },
      owner: ours,
      attached: want.attachments.map((ref) => ({ ...ref })),
    },
    customPolicies: new Map(
      want.customPolicies.map((p): [string, ObservedPolicy] => [
        p.name,
        {
          info: {
            policyName: p.name,
            policyType: 'Custom',
            description: p.description,
            defaultVersion: 'v1',
            document: p.document,
            createDate: CREATED,
          },
          owner: ours,
        },
      ]),
    ),
    recordedPolicies: want.customPolicies.map((p) => p.name),
  };
}

/** Account A before anything was created. */
export function empty(want: DesiredOwner): ObservedOwner {
  return {
    role: undefined,
    customPolicies: new Map(want.customPolicies.map((p) => [p.name, undefined])),
    recordedPolicies: [],
  };
}

/**
 * What RAM would look like after `actions` ran, modelled on the observation (only what planning reads):
 * lets tests check that a second plan after a successful apply is empty. Entities are "ours" once tagged
 * or created with our tag.
 */
export function applied(
  want: DesiredOwner,
  before: ObservedOwner,
  actions: readonly OwnerAction[],
): ObservedOwner {
  const after = structuredClone({ ...before, customPolicies: [...before.customPolicies] });
  const policies = new Map(after.customPolicies);
  let role = after.role;
  const tagged = new Set(after.recordedPolicies);
  const same = (a: PolicyRef, b: PolicyRef) => a.policyName === b.policyName && a.policyType === b.policyType;
  const phase = (a: OwnerAction) => PHASES.indexOf(a.phase);
  for (const { op: action } of [...actions].sort((x, y) => phase(x) - phase(y))) {
    switch (action.kind) {
      case 'createRole':
        role = {
          info: {
            roleName: action.roleName,
            roleId: 'new',
            arn: roleArn(want.accountId, action.roleName),
            description: action.description,
            maxSessionDuration: action.maxSessionDuration,
            trustPolicy: action.trustPolicy,
            createDate: CREATED,
          },
          owner: ours,
          attached: [],
        };
        break;
      case 'updateRole':
        if (!role) throw new Error('updateRole on a missing role');
        if (action.trustPolicy !== undefined) role.info.trustPolicy = action.trustPolicy;
        if (action.description !== undefined) role.info.description = action.description;
        if (action.maxSessionDuration !== undefined) role.info.maxSessionDuration = action.maxSessionDuration;
        break;
      case 'tagRole':
        if (!role) throw new Error('tagRole on a missing role');
        role.owner = ours;
        break;
      case 'createPolicy':
        policies.set(action.policyName, {
          info: {
            policyName: action.policyName,
            policyType: 'Custom',
            description: action.description,
            defaultVersion: 'v1',
            document: action.document,
            createDate: CREATED,
          },
          owner: ours,
        });
        tagged.add(action.policyName);
        break;
      case 'tagPolicy': {
        const p = policies.get(action.policyName);
        if (!p) throw new Error('tagPolicy on a missing policy');
        p.owner = ours;
        tagged.add(action.policyName);
        break;
      }
      case 'deletePolicyVersion': {
        const p = policies.get(action.policyName);
        if (!p?.versions) throw new Error('deletePolicyVersion without observed versions');
        const target = p.versions.find((v) => v.versionId === action.versionId);
        if (!target || target.isDefault) throw new Error(`cannot delete version ${action.versionId}`);
        p.versions = p.versions.filter((v) => v !== target);
        break;
      }
      case 'createPolicyVersion': {
        const p = policies.get(action.policyName);
        if (!p) throw new Error('createPolicyVersion on a missing policy');
        if (p.versions && p.versions.length >= 5) throw new Error('LimitExceeded.Policy.Version');
        p.info.document = action.document;
        p.versions = undefined;
        break;
      }
      case 'deleteRole':
        if (role?.attached.length) throw new Error('DeleteConflict.Role.Policy');
        role = undefined;
        break;
      case 'attachPolicy':
        if (!role) throw new Error('attach to a missing role');
        if (action.policy.policyType === 'Custom' && !policies.get(action.policy.policyName))
          throw new Error('attach a missing policy');
        if (!role.attached.some((r) => same(r, action.policy))) role.attached.push(action.policy);
        break;
      case 'detachPolicy':
        if (role) role.attached = role.attached.filter((r) => !same(r, action.policy));
        break;
      case 'deletePolicy':
        // Like the real deletion: detached from everything first, then gone with all its versions.
        if (role) role.attached = role.attached.filter((r) => !same(r, { ...action, policyType: 'Custom' }));
        policies.delete(action.policyName);
        tagged.delete(action.policyName);
        break;
    }
  }
  // Spec policies that were never observed stay in the map as "absent".
  for (const p of want.customPolicies) if (!policies.has(p.name)) policies.set(p.name, undefined);
  return { role, customPolicies: policies, recordedPolicies: [...tagged] };
}
