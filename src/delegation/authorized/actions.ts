import type { PolicyRef, Tags } from '../../alicloud/ports.js';
import type { ChangeVerb, PlannedAction } from '../change.js';

/**
 * The writes the authorized side (account B) can plan, as plain data so tests compare plans with
 * `toEqual`. None carries a secret: passwords are generated and AccessKeys created only when an action
 * runs (see `execute.ts`).
 */

/** What a policy is attached to in account B. */
export interface PolicyTarget {
  kind: 'user' | 'group' | 'role';
  name: string;
}

export type AuthorizedOp =
  | { op: 'createUser'; userName: string; displayName: string; comments: string }
  /** Adds the ownership marker to an existing user's Comments (adoption). */
  | { op: 'markUser'; userName: string; comments: string }
  | { op: 'deleteUser'; userName: string }
  | { op: 'createAccessKey'; userName: string }
  | { op: 'deleteAccessKey'; userName: string; accessKeyId: string }
  /** Creates the login profile with a fresh password, PasswordResetRequired true. */
  | { op: 'createLoginProfile'; userName: string; principalName: string; mfaBindRequired: boolean }
  /** Sets a fresh password (the old one was never stored) and the flags. */
  | { op: 'resetPassword'; userName: string; principalName: string; mfaBindRequired: boolean }
  /** Puts MFABindRequired back; the password is left alone. */
  | { op: 'updateLoginProfile'; userName: string; mfaBindRequired: boolean }
  | { op: 'deleteLoginProfile'; userName: string }
  | { op: 'unbindMfaDevice'; userName: string }
  | { op: 'createGroup'; groupName: string; comments: string }
  | { op: 'markGroup'; groupName: string; comments: string }
  | { op: 'deleteGroup'; groupName: string }
  | { op: 'addUserToGroup'; userName: string; groupName: string }
  | { op: 'removeUserFromGroup'; userName: string; groupName: string }
  /** Creates the custom policy with its ownership tag (one call: it never exists untagged). */
  | { op: 'createPolicy'; policyName: string; description: string; document: string; tags: Tags }
  | { op: 'createPolicyVersion'; policyName: string; document: string }
  | { op: 'tagPolicy'; policyName: string; tags: Tags }
  /** Deletes the custom policy with all its non-default versions. */
  | { op: 'deletePolicy'; policyName: string }
  | { op: 'attachPolicy'; policy: PolicyRef; target: PolicyTarget }
  | { op: 'detachPolicy'; policy: PolicyRef; target: PolicyTarget };

export interface AuthorizedAction extends PlannedAction {
  op: AuthorizedOp;
}

/** An operation and its phase, before it becomes an action with a Change. */
export interface Step {
  phase: number;
  op: AuthorizedOp;
}

/**
 * Phases: everything in a phase finishes before the next starts. New grants are attached (Provision)
 * before old ones are taken away (Retire), so a switch never leaves users without access in between;
 * entities are deleted only after everything hanging on them is gone.
 */
export const Phase = {
  /** Independent fixes on existing entities: markers, unstored keys, wrong-mode credentials, foreign members. */
  Prepare: 0,
  /** New users, group and grant policy. */
  Create: 1,
  /** Credentials, memberships and grant attachments that need the entities of Create. */
  Provision: 2,
  /** Old grants detached; removed users and groups stripped of keys, profiles, memberships, policies. */
  Retire: 3,
  /** Removed users, groups and grant policies deleted. */
  Delete: 4,
} as const;

/** A policy reference with exactly its two fields, so equal references serialize equally. */
export function policyRef(policy: PolicyRef): PolicyRef {
  return { policyName: policy.policyName, policyType: policy.policyType };
}

export function targetEntity(target: PolicyTarget): string {
  return `${target.kind}/${target.name}`;
}

/** Comments carrying `marker`, keeping as much of the existing text as RAM's 128 characters allow. */
export function withMarker(comments: string, marker: string, maxLength = 128): string {
  const existing = comments.trim();
  if (existing === '') return marker;
  const room = maxLength - marker.length - 1;
  return room <= 0 ? marker : `${existing.slice(0, room).trimEnd()} ${marker}`;
}

/** How an action appears as a Change: verb, entity and one human sentence. */
export function describeOp(op: AuthorizedOp): { verb: ChangeVerb; entity: string; description: string } {
  switch (op.op) {
    case 'createUser':
      return { verb: 'Created', entity: `user/${op.userName}`, description: `create user ${op.userName}` };
    case 'markUser':
      return {
        verb: 'Tagged',
        entity: `user/${op.userName}`,
        description: `adopt user ${op.userName} (add ownership marker)`,
      };
    case 'deleteUser':
      return { verb: 'Deleted', entity: `user/${op.userName}`, description: `delete user ${op.userName}` };
    case 'createAccessKey':
      return {
        verb: 'Created',
        entity: `accesskey/${op.userName}`,
        description: `create an AccessKey for user ${op.userName}`,
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
        description: `adopt group ${op.groupName} (add ownership marker)`,
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
    case 'createPolicy':
      return {
        verb: 'Created',
        entity: `policy/${op.policyName}`,
        description: `create policy ${op.policyName}`,
      };
    case 'createPolicyVersion':
      return {
        verb: 'Updated',
        entity: `policy/${op.policyName}`,
        description: `set a new default version of policy ${op.policyName}`,
      };
    case 'tagPolicy':
      return {
        verb: 'Tagged',
        entity: `policy/${op.policyName}`,
        description: `tag policy ${op.policyName} with the ownership tag`,
      };
    case 'deletePolicy':
      return {
        verb: 'Deleted',
        entity: `policy/${op.policyName}`,
        description: `delete policy ${op.policyName}`,
      };
    case 'attachPolicy':
      return {
        verb: 'Attached',
        entity: `attachment/${op.policy.policyName}->${targetEntity(op.target)}`,
        description: `attach policy ${op.policy.policyName} to ${op.target.kind} ${op.target.name}`,
      };
    case 'detachPolicy':
      return {
        verb: 'Detached',
        entity: `attachment/${op.policy.policyName}->${targetEntity(op.target)}`,
        description: `detach policy ${op.policy.policyName} from ${op.target.kind} ${op.target.name}`,
      };
  }
}

export function toAction(phase: number, op: AuthorizedOp, drift: boolean): AuthorizedAction {
  return { phase, op, change: { side: 'authorized', ...describeOp(op), drift } };
}
