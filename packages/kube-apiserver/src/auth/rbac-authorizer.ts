/**
 * The RBAC authorizer over the stored Roles, ClusterRoles and their bindings (no aggregation), with the
 * real server's privileged group in front: members of system:masters are allowed everything. A request
 * is allowed by the first rule of a role bound to the user (ClusterRoleBindings anywhere, RoleBindings
 * in the request's namespace); a binding to a missing role contributes an error to the denial reason,
 * worded as kube-apiserver's RBAC authorizer words it.
 */
import { clusterRoleBindingType, clusterRoleType, roleBindingType, roleType } from '../builtin/rbac-kinds.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { RequestAttributes } from './attributes.js';
import type { Authorizer, BoundRules, Decision } from './authorizer.js';
import {
  describeSubject,
  ruleAllows,
  subjectAppliesTo,
  type PolicyRule,
  type Subject,
} from './rbac-rules.js';
import { isPrivileged, type UserInfo } from './user.js';

const RBAC = 'rbac.authorization.k8s.io';
const KEYS = {
  roles: roleType.storageKey,
  clusterRoles: clusterRoleType.storageKey,
  roleBindings: roleBindingType.storageKey,
  clusterRoleBindings: clusterRoleBindingType.storageKey,
};

interface RoleRef {
  kind?: string;
  name?: string;
}

function subjectsOf(binding: KubeObject): Subject[] {
  return Array.isArray(binding.subjects) ? (binding.subjects as Subject[]) : [];
}

function rulesOf(role: KubeObject): PolicyRule[] {
  return Array.isArray(role.rules) ? (role.rules as PolicyRule[]) : [];
}

export class RbacAuthorizer implements Authorizer {
  constructor(private readonly store: ObjectStore) {}

  authorize(user: UserInfo, attributes: RequestAttributes): Decision {
    if (isPrivileged(user)) return { allowed: true, reason: '' };
    const namespace = attributes.kind === 'resource' ? attributes.namespace : undefined;
    const { bound, errors } = this.rulesFor(user, namespace);
    for (const { source, rules } of bound) {
      if (rules.some((rule) => ruleAllows(rule, attributes))) {
        return { allowed: true, reason: `RBAC: allowed by ${source}` };
      }
    }
    if (errors.length === 0) return { allowed: false, reason: '' };
    return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
  }

  /** Every rule bound to the user at the cluster scope and, with a namespace, in that namespace. */
  rulesFor(user: UserInfo, namespace: string | undefined): { bound: BoundRules[]; errors: string[] } {
    const bound: BoundRules[] = [];
    const errors: string[] = [];
    const visit = (kind: string, binding: KubeObject, bindingNamespace: string): void => {
      const subject = subjectsOf(binding).find((s) => subjectAppliesTo(s, user, bindingNamespace));
      if (!subject) return;
      const ref = (binding.roleRef ?? {}) as RoleRef;
      const role = this.role(ref, bindingNamespace);
      if (typeof role === 'string') {
        errors.push(role);
        return;
      }
      const name = bindingNamespace
        ? `${binding.metadata.name ?? ''}/${bindingNamespace}`
        : (binding.metadata.name ?? '');
      const source = `${kind} ${JSON.stringify(name)} of ${ref.kind ?? ''} ${JSON.stringify(ref.name ?? '')} to ${describeSubject(subject, bindingNamespace)}`;
      bound.push({ source, rules: rulesOf(role) });
    };
    for (const binding of this.store.list(KEYS.clusterRoleBindings)) visit('ClusterRoleBinding', binding, '');
    if (namespace) {
      for (const binding of this.store.list(KEYS.roleBindings, namespace))
        visit('RoleBinding', binding, namespace);
    }
    return { bound, errors };
  }

  /** The referenced role, or the lookup error as RBAC words it. */
  private role(ref: RoleRef, bindingNamespace: string): KubeObject | string {
    const name = ref.name ?? '';
    if (ref.kind === 'ClusterRole') {
      return (
        this.store.get(KEYS.clusterRoles, undefined, name) ??
        `clusterrole.${RBAC} ${JSON.stringify(name)} not found`
      );
    }
    if (ref.kind === 'Role') {
      return (
        this.store.get(KEYS.roles, bindingNamespace, name) ?? `role.${RBAC} ${JSON.stringify(name)} not found`
      );
    }
    return `unsupported role reference kind: ${JSON.stringify(ref.kind ?? '')}`;
  }
}
