import { isCloudError, settling } from '../../alicloud/errors.js';
import type { NewAccessKey, RamPort } from '../../alicloud/ports.js';
import type { EngineOptions, IssuedCredential } from '../context.js';
import { executePolicyOp, isPolicyOp } from '../policy-ops.js';
import type { AuthorizedOp } from './actions.js';

/**
 * Performs one planned operation through the RAM port. Returns the credential it issued for AccessKey
 * creation and password (re)sets: the only place these secrets exist. The caller must store it and
 * never log it.
 */
export async function executeAuthorizedOp(
  ram: RamPort,
  op: AuthorizedOp,
  options: Pick<EngineOptions, 'generatePassword'>,
): Promise<IssuedCredential | undefined> {
  if (isPolicyOp(op)) {
    await executePolicyOp(ram, op);
    return undefined;
  }
  switch (op.kind) {
    case 'createUser':
      await ram.createUser({ userName: op.userName, displayName: op.displayName, comments: op.comments });
      return undefined;
    case 'markUser':
      await ram.updateUser(op.userName, { comments: op.comments });
      return undefined;
    case 'deleteUser':
      await ram.deleteUser(op.userName);
      return undefined;
    case 'createAccessKey':
    case 'rotateAccessKey': {
      const key = await createAccessKey(ram, op.userName);
      return {
        userName: op.userName,
        kind: 'AccessKey',
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        createDate: key.createDate,
        ...(op.kind === 'rotateAccessKey' ? { replaces: op.replaces } : {}),
      };
    }
    case 'deactivateAccessKey':
      await ram.updateAccessKey(op.userName, op.accessKeyId, 'Inactive');
      return undefined;
    case 'deleteAccessKey':
      await ram.deleteAccessKey(op.userName, op.accessKeyId);
      return undefined;
    case 'createLoginProfile': {
      const password = options.generatePassword(await ram.getPasswordPolicy());
      await ram.createLoginProfile(op.userName, {
        password,
        passwordResetRequired: true,
        mfaBindRequired: op.mfaBindRequired,
      });
      return { userName: op.userName, kind: 'Password', userPrincipalName: op.principalName, password };
    }
    case 'resetPassword': {
      const password = options.generatePassword(await ram.getPasswordPolicy());
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
  }
}

/**
 * CreateAccessKey, where `LimitExceeded` cannot mean the operator wants too many keys: it keeps one per
 * user (two during a rotation) and deletes the others before creating one. It means keys RAM does not
 * list yet (a crash before they were stored, a lagging read) or keys this pass deleted that still
 * count: a wait, retried with backoff; the next pass sees those keys and deletes them.
 */
async function createAccessKey(ram: RamPort, userName: string): Promise<NewAccessKey> {
  try {
    return await ram.createAccessKey(userName);
  } catch (error) {
    if (!isCloudError(error, 'LimitExceeded')) throw error;
    throw settling(
      error,
      `user ${userName} still has AccessKeys RAM did not list, or that were just deleted`,
    );
  }
}
