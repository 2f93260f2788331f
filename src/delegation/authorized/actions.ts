import type { OpDescription, PlannedAction, Step } from '../action.js';
import { describePolicyOp, isPolicyOp, type PolicyOp } from '../policy-ops.js';

/**
 * The writes the authorized side (account B) can plan, as plain data: users and their credentials,
 * the group, and the shared policy operations (the grant policy and its attachments). None carries a
 * secret: passwords are generated and AccessKeys created only when an action runs (see `execute.ts`).
 */
type PrincipalOp =
  | { kind: 'createUser'; userName: string; displayName: string; comments: string }
  /** Adds the ownership marker to an existing user's Comments (adoption). */
  | { kind: 'markUser'; userName: string; comments: string }
  | { kind: 'deleteUser'; userName: string }
  | { kind: 'createAccessKey'; userName: string }
  /** Creates a second key to replace the stored one (accessKeyRotation); the caller stores it at once. */
  | { kind: 'rotateAccessKey'; userName: string; replaces: string }
  /** Sets a replaced key Inactive once its grace period is over. */
  | { kind: 'deactivateAccessKey'; userName: string; accessKeyId: string }
  | { kind: 'deleteAccessKey'; userName: string; accessKeyId: string }
  /** Creates the login profile with a fresh password, PasswordResetRequired true. */
  | { kind: 'createLoginProfile'; userName: string; principalName: string; mfaBindRequired: boolean }
  /** Sets a fresh password (the old one was never stored) and the flags. */
  | { kind: 'resetPassword'; userName: string; principalName: string; mfaBindRequired: boolean }
  /** Puts MFABindRequired back; the password is left alone. */
  | { kind: 'updateLoginProfile'; userName: string; mfaBindRequired: boolean }
  | { kind: 'deleteLoginProfile'; userName: string }
  | { kind: 'unbindMfaDevice'; userName: string }
  | { kind: 'createGroup'; groupName: string; comments: string }
  | { kind: 'markGroup'; groupName: string; comments: string }
  | { kind: 'deleteGroup'; groupName: string }
  | { kind: 'addUserToGroup'; userName: string; groupName: string }
  | { kind: 'removeUserFromGroup'; userName: string; groupName: string };

export type AuthorizedOp = PrincipalOp | PolicyOp;
export type AuthorizedAction = PlannedAction<AuthorizedOp>;
export type AuthorizedStep = Step<AuthorizedOp>;

/** Comments carrying `marker`, keeping as much of the existing text as RAM's 128 characters allow. */
export function withMarker(comments: string, marker: string, maxLength = 128): string {
  const existing = comments.trim();
  if (existing === '') return marker;
  const room = maxLength - marker.length - 1;
  return room <= 0 ? marker : `${existing.slice(0, room).trimEnd()} ${marker}`;
}

/** How an operation appears as a Change: verb, entity and one human sentence. */
export function describeAuthorizedOp(op: AuthorizedOp): OpDescription {
  if (isPolicyOp(op)) return describePolicyOp(op);
  switch (op.kind) {
    case 'createUser':
      return { verb: 'Created', entity: `user/${op.userName}`, description: `create user ${op.userName}` };
    case 'markUser':
      return {
        verb: 'Tagged',
        entity: `user/${op.userName}`,
        description: `adopt user ${op.userName} (add the ownership marker)`,
      };
    case 'deleteUser':
      return { verb: 'Deleted', entity: `user/${op.userName}`, description: `delete user ${op.userName}` };
    case 'createAccessKey':
      return {
        verb: 'Created',
        entity: `accesskey/${op.userName}`,
        description: `create an AccessKey for user ${op.userName}`,
      };
    case 'rotateAccessKey':
      return {
        verb: 'Rotated',
        entity: `accesskey/${op.userName}`,
        description: `rotate the AccessKey of user ${op.userName}: create a new key for its Secret`,
      };
    case 'deactivateAccessKey':
      return {
        verb: 'Deactivated',
        entity: `accesskey/${op.userName}/${op.accessKeyId}`,
        description: `deactivate AccessKey ${op.accessKeyId} of user ${op.userName}`,
      };
    case 'deleteAccessKey':
      return {
        verb: 'Deleted',
        entity: `accesskey/${op.userName}/${op.accessKeyId}`,
        description: `delete AccessKey ${op.accessKeyId} of user ${op.userName}`,
      };
    case 'createLoginProfile':
      return {
        verb: 'Created',
        entity: `loginprofile/${op.userName}`,
        description: `create the console login of user ${op.userName}`,
      };
    case 'resetPassword':
      return {
        verb: 'Updated',
        entity: `loginprofile/${op.userName}`,
        description: `reset the console password of user ${op.userName}`,
      };
    case 'updateLoginProfile':
      return {
        verb: 'Updated',
        entity: `loginprofile/${op.userName}`,
        description: `set MFABindRequired=${op.mfaBindRequired} on the console login of user ${op.userName}`,
      };
    case 'deleteLoginProfile':
      return {
        verb: 'Deleted',
        entity: `loginprofile/${op.userName}`,
        description: `delete the console login of user ${op.userName}`,
      };
    case 'unbindMfaDevice':
      return {
        verb: 'Deleted',
        entity: `mfadevice/${op.userName}`,
        description: `unbind the MFA device of user ${op.userName}`,
      };
    case 'createGroup':
      return {
        verb: 'Created',
        entity: `group/${op.groupName}`,
        description: `create group ${op.groupName}`,
      };
    case 'markGroup':
      return {
        verb: 'Tagged',
        entity: `group/${op.groupName}`,
        description: `adopt group ${op.groupName} (add the ownership marker)`,
      };
    case 'deleteGroup':
      return {
        verb: 'Deleted',
        entity: `group/${op.groupName}`,
        description: `delete group ${op.groupName}`,
      };
    case 'addUserToGroup':
      return {
        verb: 'Attached',
        entity: `membership/${op.userName}->group/${op.groupName}`,
        description: `add user ${op.userName} to group ${op.groupName}`,
      };
    case 'removeUserFromGroup':
      return {
        verb: 'Detached',
        entity: `membership/${op.userName}->group/${op.groupName}`,
        description: `remove user ${op.userName} from group ${op.groupName}`,
      };
  }
}
