/**
 * The default RBAC objects every cluster starts with (the subset that matters here, without the
 * aggregated admin/edit/view roles): cluster-admin bound to system:masters, and the discovery,
 * basic-user and public-info-viewer roles bound to every authenticated user, so that a ServiceAccount
 * can run kubectl's discovery, `kubectl auth can-i` and `kubectl auth whoami` with no binding of its own.
 */
import type { PolicyRule, Subject } from './rbac-rules.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, SYSTEM_MASTERS } from './user.js';

export interface BootstrapRole {
  name: string;
  rules: PolicyRule[];
  /** Groups a ClusterRoleBinding of the same name binds the role to. */
  groups: string[];
}

const INFO_PATHS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export const BOOTSTRAP_CLUSTER_ROLES: BootstrapRole[] = [
  {
    name: 'cluster-admin',
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
    groups: [SYSTEM_MASTERS],
  },
  {
    name: 'system:discovery',
    rules: [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/openapi',
          '/openapi/*',
          ...INFO_PATHS,
        ].sort(),
        verbs: ['get'],
      },
    ],
    groups: [ALL_AUTHENTICATED],
  },
  {
    name: 'system:basic-user',
    rules: [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ],
    groups: [ALL_AUTHENTICATED],
  },
  {
    name: 'system:public-info-viewer',
    rules: [{ nonResourceURLs: INFO_PATHS, verbs: ['get'] }],
    groups: [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED],
  },
];

const METADATA = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

const API_VERSION = 'rbac.authorization.k8s.io/v1';

/** The ClusterRole and ClusterRoleBinding objects of one bootstrap role (metadata without uid/time). */
export function bootstrapObjects(role: BootstrapRole): { clusterRole: object; binding: object } {
  const subjects: Subject[] = role.groups.map((name) => ({
    kind: 'Group',
    apiGroup: 'rbac.authorization.k8s.io',
    name,
  }));
  return {
    clusterRole: {
      apiVersion: API_VERSION,
      kind: 'ClusterRole',
      metadata: { name: role.name, ...METADATA },
      rules: role.rules,
    },
    binding: {
      apiVersion: API_VERSION,
      kind: 'ClusterRoleBinding',
      metadata: { name: role.name, ...METADATA },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects,
    },
  };
}
