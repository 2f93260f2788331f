import type { PolicyRef, RamPort, Tags } from '../alicloud/ports.js';
import type { OpDescription } from './action.js';
import { deleteCustomPolicy } from './delete-policy.js';

/**
 * The policy operations both accounts plan: custom policies, their versions and tags, and attachments
 * to a role, user or group. One shape, one description and one executor for both sides.
 */

/** What a policy is attached to. */
export interface PolicyTarget {
  kind: 'user' | 'group' | 'role';
  name: string;
}

export type PolicyOp =
  /** Creates the custom policy with its ownership tag (one call: it never exists untagged). */
  | { kind: 'createPolicy'; policyName: string; document: string; description: string; tags: Tags }
  /** Adds the ownership tag to an existing custom policy: adoption, or `restore` of a recorded one's lost tag. */
  | { kind: 'tagPolicy'; policyName: string; tags: Tags; restore?: true }
  /** A new version that becomes the default. */
  | { kind: 'createPolicyVersion'; policyName: string; document: string }
  /** Makes room under RAM's version limit before a new version is created. */
  | { kind: 'deletePolicyVersion'; policyName: string; versionId: string }
  /** Detaches the policy from everything, deletes its non-default versions, then the policy. */
  | { kind: 'deletePolicy'; policyName: string }
  | { kind: 'attachPolicy'; policy: PolicyRef; target: PolicyTarget }
  | { kind: 'detachPolicy'; policy: PolicyRef; target: PolicyTarget };

const POLICY_OP_KINDS: ReadonlySet<string> = new Set<PolicyOp['kind']>([
  'createPolicy',
  'tagPolicy',
  'createPolicyVersion',
  'deletePolicyVersion',
  'deletePolicy',
  'attachPolicy',
  'detachPolicy',
]);

export function isPolicyOp(op: { kind: string }): op is PolicyOp {
  return POLICY_OP_KINDS.has(op.kind);
}

/** A policy reference with exactly its two fields, so equal references serialize equally. */
export function policyRef(policy: PolicyRef): PolicyRef {
  return { policyName: policy.policyName, policyType: policy.policyType };
}

export function samePolicy(a: PolicyRef, b: PolicyRef): boolean {
  return a.policyType === b.policyType && a.policyName === b.policyName;
}

export function targetEntity(target: PolicyTarget): string {
  return `${target.kind}/${target.name}`;
}

export function policyEntity(policyName: string): string {
  return `policy/${policyName}`;
}

function attachmentEntity(policy: PolicyRef, target: PolicyTarget): string {
  return `attachment/${policy.policyName}->${targetEntity(target)}`;
}

/** `system policy X` or `custom policy X`. */
function describePolicyRef(policy: PolicyRef): string {
  return `${policy.policyType === 'System' ? 'system' : 'custom'} policy ${policy.policyName}`;
}

export function describePolicyOp(op: PolicyOp): OpDescription {
  switch (op.kind) {
    case 'createPolicy':
      return {
        verb: 'Created',
        entity: policyEntity(op.policyName),
        description: `create custom policy ${op.policyName}`,
      };
    case 'tagPolicy':
      return {
        verb: 'Tagged',
        entity: policyEntity(op.policyName),
        description: op.restore
          ? `restore the ownership tag of custom policy ${op.policyName}`
          : `adopt custom policy ${op.policyName} (add the ownership tag)`,
      };
    case 'createPolicyVersion':
      return {
        verb: 'Updated',
        entity: policyEntity(op.policyName),
        description: `set a new default version of custom policy ${op.policyName}`,
      };
    case 'deletePolicyVersion':
      return {
        verb: 'Deleted',
        entity: `${policyEntity(op.policyName)}@${op.versionId}`,
        description: `delete version ${op.versionId} of custom policy ${op.policyName}`,
      };
    case 'deletePolicy':
      return {
        verb: 'Deleted',
        entity: policyEntity(op.policyName),
        description: `delete custom policy ${op.policyName} with all its versions`,
      };
    case 'attachPolicy':
      return {
        verb: 'Attached',
        entity: attachmentEntity(op.policy, op.target),
        description: `attach ${describePolicyRef(op.policy)} to ${op.target.kind} ${op.target.name}`,
      };
    case 'detachPolicy':
      return {
        verb: 'Detached',
        entity: attachmentEntity(op.policy, op.target),
        description: `detach ${describePolicyRef(op.policy)} from ${op.target.kind} ${op.target.name}`,
      };
  }
}

/** Performs one policy operation with RAM calls. Errors are CloudErrors from the port, unchanged. */
export async function executePolicyOp(ram: RamPort, op: PolicyOp): Promise<void> {
  switch (op.kind) {
    case 'createPolicy':
      await ram.createPolicy({
        policyName: op.policyName,
        document: op.document,
        description: op.description,
        tags: op.tags,
      });
      return;
    case 'tagPolicy':
      await ram.tag('policy', op.policyName, op.tags);
      return;
    case 'createPolicyVersion':
      await ram.createPolicyVersion(op.policyName, op.document);
      return;
    case 'deletePolicyVersion':
      await ram.deletePolicyVersion(op.policyName, op.versionId);
      return;
    case 'deletePolicy':
      await deleteCustomPolicy(ram, op.policyName);
      return;
    case 'attachPolicy':
      await attach(ram, op.policy, op.target);
      return;
    case 'detachPolicy':
      await detach(ram, op.policy, op.target);
      return;
  }
}

async function attach(ram: RamPort, policy: PolicyRef, target: PolicyTarget): Promise<void> {
  if (target.kind === 'user') await ram.attachPolicyToUser(policy, target.name);
  else if (target.kind === 'group') await ram.attachPolicyToGroup(policy, target.name);
  else await ram.attachPolicyToRole(policy, target.name);
}

async function detach(ram: RamPort, policy: PolicyRef, target: PolicyTarget): Promise<void> {
  if (target.kind === 'user') await ram.detachPolicyFromUser(policy, target.name);
  else if (target.kind === 'group') await ram.detachPolicyFromGroup(policy, target.name);
  else await ram.detachPolicyFromRole(policy, target.name);
}
