/**
 * The kinds an installation manifest needs besides the CRD: core v1 ServiceAccounts and Services, apps/v1
 * Deployments and rbac.authorization.k8s.io/v1 Roles, ClusterRoles and their bindings. They are stored and
 * validated (known fields, required fields, the real messages for the common mistakes) so that
 * `kubectl apply --dry-run=server` of a kustomize render means something; no controller acts on them
 * (no Pods are started, no Service gets an address, RBAC is not enforced).
 */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { isJsonObject, jsonEqual, type KubeObject } from '../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, builtinType, pick } from './define.js';

const table = { columns: [NAME_COLUMN, AGE_COLUMN], cells: (o: KubeObject) => [o.metadata.name, age(o)] };

export const serviceAccountType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  hooks: {
    knownFields: [
      'apiVersion',
      'kind',
      'metadata',
      'secrets',
      'imagePullSecrets',
      'automountServiceAccountToken',
    ],
    table,
  },
});

export const serviceType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  statusSubresource: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    validate(object) {
      const ports = pick(object, 'spec', 'ports');
      const type = pick(object, 'spec', 'type');
      if (type !== 'ExternalName' && (!Array.isArray(ports) || ports.length === 0))
        return [fieldError('FieldValueRequired', 'spec.ports', '')];
      return [];
    },
    table,
  },
});

export const deploymentType: ResourceType = builtinType({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    validate(object) {
      const errors: FieldError[] = [];
      const selector = pick(object, 'spec', 'selector', 'matchLabels');
      const labels = pick(object, 'spec', 'template', 'metadata', 'labels');
      if (!isJsonObject(pick(object, 'spec', 'selector')))
        errors.push(fieldError('FieldValueRequired', 'spec.selector', ''));
      else if (
        isJsonObject(selector) &&
        !Object.entries(selector).every(([k, v]) => isJsonObject(labels) && labels[k] === v)
      ) {
        errors.push(
          fieldError(
            'FieldValueInvalid',
            'spec.template.metadata.labels',
            '`selector` does not match template `labels`',
            JSON.stringify(labels ?? {}),
          ),
        );
      }
      const containers = pick(object, 'spec', 'template', 'spec', 'containers');
      if (!Array.isArray(containers) || containers.length === 0)
        errors.push(fieldError('FieldValueRequired', 'spec.template.spec.containers', ''));
      return errors;
    },
    table,
  },
});

/** RBAC: a binding's roleRef cannot change, and rules need verbs. */
function validateRules(object: KubeObject): FieldError[] {
  const rules = object.rules;
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules))
    return [fieldError('FieldValueInvalid', 'rules', 'must be a list', JSON.stringify(rules))];
  return rules.flatMap((rule, index) =>
    isJsonObject(rule) && Array.isArray(rule.verbs) && rule.verbs.length > 0
      ? []
      : [fieldError('FieldValueRequired', `rules[${index}].verbs`, 'verbs must contain at least one value')],
  );
}

function validateBinding(object: KubeObject, old?: KubeObject): FieldError[] {
  if (!isJsonObject(object.roleRef)) return [fieldError('FieldValueRequired', 'roleRef', '')];
  if (old && !jsonEqual(old.roleRef, object.roleRef))
    return [
      fieldError('FieldValueInvalid', 'roleRef', 'cannot change roleRef', JSON.stringify(object.roleRef)),
    ];
  return [];
}

const rbac = (resource: string, kind: string, namespaced: boolean, binding: boolean): ResourceType =>
  builtinType({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource,
    kind,
    namespaced,
    hooks: {
      knownFields: binding
        ? ['apiVersion', 'kind', 'metadata', 'subjects', 'roleRef']
        : ['apiVersion', 'kind', 'metadata', 'rules', 'aggregationRule'],
      validate: binding ? validateBinding : validateRules,
      table,
    },
  });

export const installKinds: ResourceType[] = [
  serviceAccountType,
  serviceType,
  deploymentType,
  rbac('roles', 'Role', true, false),
  rbac('rolebindings', 'RoleBinding', true, true),
  rbac('clusterroles', 'ClusterRole', false, false),
  rbac('clusterrolebindings', 'ClusterRoleBinding', false, true),
];
