import type { RamPort } from '../../alicloud/ports.js';
import type { OwnerActionBody } from './actions.js';
import { deleteCustomPolicy } from './delete-policy.js';

/** Performs one planned owner action with RAM calls. Errors are CloudErrors from the port, unchanged. */
export async function executeOwnerAction(ram: RamPort, action: OwnerActionBody): Promise<void> {
  switch (action.kind) {
    case 'createRole':
      await ram.createRole({
        roleName: action.roleName,
        trustPolicy: action.trustPolicy,
        description: action.description,
        maxSessionDuration: action.maxSessionDuration,
        tags: action.tags,
      });
      return;
    case 'updateRole':
      // Only the fields the plan set: the action object also carries its phase and Change.
      await ram.updateRole(action.roleName, {
        ...(action.trustPolicy !== undefined ? { trustPolicy: action.trustPolicy } : {}),
        ...(action.description !== undefined ? { description: action.description } : {}),
        ...(action.maxSessionDuration !== undefined ? { maxSessionDuration: action.maxSessionDuration } : {}),
      });
      return;
    case 'tagRole':
      await ram.tag('role', action.roleName, action.tags);
      return;
    case 'createPolicy':
      await ram.createPolicy({
        policyName: action.policyName,
        document: action.document,
        description: action.description,
        tags: action.tags,
      });
      return;
    case 'tagPolicy':
      await ram.tag('policy', action.policyName, action.tags);
      return;
    case 'deletePolicyVersion':
      await ram.deletePolicyVersion(action.policyName, action.versionId);
      return;
    case 'createPolicyVersion':
      await ram.createPolicyVersion(action.policyName, action.document);
      return;
    case 'attachPolicy':
      await ram.attachPolicyToRole(action.policy, action.roleName);
      return;
    case 'detachPolicy':
      await ram.detachPolicyFromRole(action.policy, action.roleName);
      return;
    case 'deletePolicy':
      await deleteCustomPolicy(ram, action.policyName);
      return;
  }
}
