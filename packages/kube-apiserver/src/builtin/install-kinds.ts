/**
 * The kinds an installation manifest needs besides the CRD: core v1 ServiceAccounts and Services, apps/v1
 * Deployments, policy/v1 PodDisruptionBudgets and the RBAC kinds (rbac-kinds.ts). They are stored and validated (known fields, required
 * fields, the real messages for the common mistakes) so that `kubectl apply --dry-run=server` of a
 * kustomize render means something; no controller acts on them (no Pods are started, no Service gets
 * an address). ServiceAccounts mint tokens through their `token` subresource (auth/token-request.ts).
 */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { isJsonObject, type KubeObject } from '../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, builtinType, pick } from './define.js';
import { rbacKinds } from './rbac-kinds.js';

const table = { columns: [NAME_COLUMN, AGE_COLUMN], cells: (o: KubeObject) => [o.metadata.name, age(o)] };

export const serviceAccountType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: [
    { name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
  ],
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

const serviceType: ResourceType = builtinType({
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

const deploymentType: ResourceType = builtinType({
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

const podDisruptionBudgetType: ResourceType = builtinType({
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  shortNames: ['pdb'],
  statusSubresource: true,
  tracksGeneration: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    validate(object) {
      const spec = pick(object, 'spec');
      if (isJsonObject(spec) && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
        return [
          fieldError(
            'FieldValueInvalid',
            'spec',
            'minAvailable and maxUnavailable cannot be both set',
            JSON.stringify(spec),
          ),
        ];
      return [];
    },
    table,
  },
});

export const installKinds: ResourceType[] = [
  serviceAccountType,
  serviceType,
  deploymentType,
  podDisruptionBudgetType,
  ...rbacKinds,
];
