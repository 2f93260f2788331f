import { isCloudError } from '../../alicloud/errors.js';
import type { PolicyRef, RamPort } from '../../alicloud/ports.js';
import type { EngineOptions, IssuedCredential } from '../context.js';
import type { AuthorizedAction, PolicyTarget } from './actions.js';

/**
 * Performs one planned action through the RAM port. Returns the credential it issued for AccessKey
 * creation and password (re)sets: the only place these secrets exist. The caller must store it and
 * never log it.
 */
export async function executeAuthorizedAction(
  ram: RamPort,
  action: AuthorizedAction,
  options: Pick<EngineOptions, 'generatePassword'>,
): Promise<IssuedCredential | undefined> {
  const op = action.op;
  switch (op.op) {
    case 'createUser':
      await ram.createUser({ userName: op.userName, displayName: op.displayName, comments: op.comments });
      return undefined;
    case 'markUser':
      await ram.updateUser(op.userName, { comments: op.comments });
      return undefined;
    case 'deleteUser':
      await ram.deleteUser(op.userName);
      return undefined;
    case 'createAccessKey': {
      const key = await ram.createAccessKey(op.userName);
      return {
        userName: op.userName,
        kind: 'AccessKey',
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      };
    }
    case 'deleteAccessKey':
      await ram.deleteAccessKey(op.userName, op.accessKeyId);
      return undefined;
    case 'createLoginProfile': {
      const password = options.generatePassword();
      await ram.createLoginProfile(op.userName, {
        password,
        passwordResetRequired: true,
        mfaBindRequired: op.mfaBindRequired,
      });
      return { userName: op.userName, kind: 'Password', userPrincipalName: op.principalName, password };
    }
    case 'resetPassword': {
      const password = options.generatePassword();
      await ram.updateLoginProfile(op.userName, {
        password,
        passwordResetRequired: true,
        mfaBindRequired: op.mfaBindRequired,
      });
      return { userName: op.userName, kind: 'Password', userPrincipalName: op.principalName, password };
    }
    case 'updateLoginProfile':
      await ram.updateLoginProfile(op.userName, { mfaBindRequired: op.mfaBindRequired });
      return undefined;
    case 'deleteLoginProfile':
      await ram.deleteLoginProfile(op.userName);
      return undefined;
    case 'unbindMfaDevice':
      await ram.unbindMfaDevice(op.userName);
      return undefined;
    case 'createGroup':
      await ram.createGroup({ groupName: op.groupName, comments: op.comments });
      return undefined;
    case 'markGroup':
      await ram.updateGroup(op.groupName, { comments: op.comments });
      return undefined;
    case 'deleteGroup':
      await ram.deleteGroup(op.groupName);
      return undefined;
    case 'addUserToGroup':
      await ram.addUserToGroup(op.userName, op.groupName);
      return undefined;
    case 'removeUserFromGroup':
      await ram.removeUserFromGroup(op.userName, op.groupName);
      return undefined;
    case 'createPolicy':
      await ram.createPolicy({
        policyName: op.policyName,
        document: op.document,
        description: op.description,
        tags: op.tags,
      });
      return undefined;
    case 'createPolicyVersion':
      await ram.createPolicyVersion(op.policyName, op.document);
      return undefined;
    case 'tagPolicy':
      await ram.tag('policy', op.policyName, op.tags);
      return undefined;
    case 'deletePolicy':
      await deletePolicyWithVersions(ram, op.policyName);
      return undefined;
    case 'attachPolicy':
      await attach(ram, op.policy, op.target);
      return undefined;
    case 'detachPolicy':
      await detach(ram, op.policy, op.target);
      return undefined;
  }
}

/** RAM refuses to delete a policy that still has non-default versions; those go first. */
async function deletePolicyWithVersions(ram: RamPort, policyName: string): Promise<void> {
  let versions;
  try {
    versions = await ram.listPolicyVersions(policyName);
  } catch (error) {
    if (isCloudError(error, 'NotFound')) return;
    throw error;
  }
  for (const version of versions) {
    if (!version.isDefault) await ram.deletePolicyVersion(policyName, version.versionId);
  }
  await ram.deletePolicy(policyName);
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
