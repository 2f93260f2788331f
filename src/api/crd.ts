import {
  API_GROUP,
  API_VERSION,
  CATEGORIES,
  CRD_NAME,
  KIND,
  LIST_KIND,
  PLURAL,
  SHORT_NAMES,
  SINGULAR,
} from './constants.js';
import { toStructuralSchema, type SchemaNode } from './openapi.js';
import { specSchema } from './spec.js';
import { statusSchema } from './status.js';

const readyColumn = (field: 'status' | 'reason') => `.status.conditions[?(@.type=="Ready")].${field}`;

/** The printer columns `kubectl get cad` shows. */
export const printerColumns = [
  { name: 'Ready', type: 'string', jsonPath: readyColumn('status') },
  { name: 'Reason', type: 'string', jsonPath: readyColumn('reason') },
  { name: 'Role ARN', type: 'string', jsonPath: '.status.roleArn' },
  { name: 'Owner', type: 'string', jsonPath: '.spec.owner.accountId' },
  { name: 'Authorized', type: 'string', jsonPath: '.spec.authorized.accountId' },
  // A string, not a date: kubectl prints a future date column as <invalid>.
  { name: 'Expires', type: 'string', jsonPath: '.status.expiresAt' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** The whole object's schema: spec and status from zod, the envelope as Kubernetes wants it. */
export function openApiSchema(): SchemaNode {
  return {
    type: 'object',
    description:
      'CrossAccountDelegation lets one Alibaba Cloud account (authorized) assume a RAM role in another (owner).',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: toStructuralSchema(specSchema),
      status: toStructuralSchema(statusSchema),
    },
  };
}

/** The CustomResourceDefinition, generated; `crds/` holds its YAML and a test keeps them equal. */
export function crossAccountDelegationCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME, labels: { 'app.kubernetes.io/name': 'ram-delegation-operator' } },
    spec: {
      group: API_GROUP,
      scope: 'Namespaced',
      names: {
        kind: KIND,
        listKind: LIST_KIND,
        plural: PLURAL,
        singular: SINGULAR,
        shortNames: [...SHORT_NAMES],
        categories: [...CATEGORIES],
      },
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns,
          schema: { openAPIV3Schema: openApiSchema() },
        },
      ],
    },
  };
}

/** Every CEL rule in the generated schema with the dotted path of the node it sits on. */
export function celRules(
  node: SchemaNode = openApiSchema(),
  path = '',
): { path: string; rule: string; message: string }[] {
  const found: { path: string; rule: string; message: string }[] = [];
  const rules = node['x-kubernetes-validations'] as { rule: string; message: string }[] | undefined;
  for (const r of rules ?? []) found.push({ path, rule: r.rule, message: r.message });
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    found.push(...celRules(child, path === '' ? name : `${path}.${name}`));
  }
  if (node.items) found.push(...celRules(node.items as SchemaNode, `${path}[]`));
  return found;
}
