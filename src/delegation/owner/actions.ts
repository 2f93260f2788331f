import type { Tags } from '../../alicloud/ports.js';
import type { OpDescription, PlannedAction } from '../action.js';
import { describePolicyOp, isPolicyOp, type PolicyOp } from '../policy-ops.js';

/**
 * The writes the owner side (account A) can plan, as plain data: the role's own operations and the
 * shared policy operations (custom policies, versions, attachments to the role).
 */
export type RoleOp =
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
  /** Adds the ownership tag to an existing role: adoption, or `restore` of a recorded role's lost tag. */
  | { kind: 'tagRole'; roleName: string; tags: Tags; restore?: true }
  /** Revocation only: the role must have no policy left (see the executor for late attachments). */
  | { kind: 'deleteRole'; roleName: string };

export type OwnerOp = RoleOp | PolicyOp;
export type OwnerAction = PlannedAction<OwnerOp>;

export function roleEntity(roleName: string): string {
  return `role/${roleName}`;
}

export function describeOwnerOp(op: OwnerOp): OpDescription {
  if (isPolicyOp(op)) return describePolicyOp(op);
  const entity = roleEntity(op.roleName);
  switch (op.kind) {
    case 'createRole':
      return { verb: 'Created', entity, description: `create role ${op.roleName}` };
    case 'updateRole': {
      const fields = [
        ...(op.trustPolicy !== undefined ? ['trust policy'] : []),
        ...(op.maxSessionDuration !== undefined ? [`max session duration ${op.maxSessionDuration}s`] : []),
        ...(op.description !== undefined ? ['description'] : []),
      ];
      return { verb: 'Updated', entity, description: `update role ${op.roleName}: ${fields.join(', ')}` };
    }
    case 'tagRole':
      return {
        verb: 'Tagged',
        entity,
        description: op.restore
          ? `restore the ownership tag of role ${op.roleName}`
          : `adopt role ${op.roleName} (add the ownership tag)`,
      };
    case 'deleteRole':
      return { verb: 'Deleted', entity, description: `delete role ${op.roleName}` };
  }
}
