import type { PolicyRef, Tags } from '../../alicloud/ports.js';
import type { Change, ChangeVerb, PlannedAction } from '../change.js';

/**
 * The writes the owner side can plan, as plain data: tests compare plans with `toEqual`, and
 * {@link executeOwnerAction} maps each kind to RAM calls.
 */
export type OwnerActionBody =
  | {
      kind: 'createRole';
      roleName: string;
      trustPolicy: string;
      description: string;
      maxSessionDuration: number;
      tags: Tags;
    }
  /** Only the fields that differ are set. */
  | {
      kind: 'updateRole';
      roleName: string;
      trustPolicy?: string;
      description?: string;
      maxSessionDuration?: number;
    }
  | { kind: 'tagRole'; roleName: string; tags: Tags }
  | { kind: 'createPolicy'; policyName: string; document: string; description: string; tags: Tags }
  | { kind: 'tagPolicy'; policyName: string; tags: Tags }
  /** Makes room under RAM's 5-version limit before a new version is created. */
  | { kind: 'deletePolicyVersion'; policyName: string; versionId: string }
  /** A new version that becomes the default. */
  | { kind: 'createPolicyVersion'; policyName: string; document: string }
  | { kind: 'attachPolicy'; policy: PolicyRef; roleName: string }
  | { kind: 'detachPolicy'; policy: PolicyRef; roleName: string }
  /** Detaches the policy from every entity, deletes its non-default versions, then the policy. */
  | { kind: 'deletePolicy'; policyName: string };

export type OwnerAction = PlannedAction & OwnerActionBody;

/**
 * Phases of the owner plan. Detaching comes first (privileges shrink before anything grows); attaching
 * waits until the role exists and every policy holds its new document; removed policies are deleted last,
 * after they were detached.
 */
export const OwnerPhase = {
  /** Create/update/tag the role, create/tag policies, detach extra attachments, free a version slot. */
  prepare: 1,
  /** New default policy versions (after a slot was freed). */
  documents: 2,
  /** Attach the spec's policies to the role. */
  attach: 3,
  /** Delete custom policies this delegation made that the spec no longer names. */
  cleanup: 4,
} as const;

/** Describes the Change an action makes; `side` is always 'owner'. */
export interface ChangeNote {
  verb: ChangeVerb;
  entity: string;
  description: string;
  drift: boolean;
}

/** Collects planned actions in the order they are planned. */
export class OwnerPlanBuilder {
  readonly actions: OwnerAction[] = [];

  add(phase: number, body: OwnerActionBody, note: ChangeNote): void {
    const change: Change = { side: 'owner', ...note };
    this.actions.push({ ...body, phase, change });
  }
}

export function roleEntity(roleName: string): string {
  return `role/${roleName}`;
}

export function policyEntity(policyName: string): string {
  return `policy/${policyName}`;
}

export function attachmentEntity(ref: PolicyRef, roleName: string): string {
  return `attachment/${ref.policyName}->role/${roleName}`;
}

export function describePolicyRef(ref: PolicyRef): string {
  return `${ref.policyType === 'System' ? 'system' : 'custom'} policy ${ref.policyName}`;
}
