/**
 * The query of a list or watch: label and field selectors checked against what the resource supports,
 * and the matcher they make.
 */
import { badRequest } from './errors.js';
import type { ResourceType } from './resource-type.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type FieldSelector,
  type LabelSelector,
} from './selectors.js';
import type { KubeObject } from './types.js';

export interface ObjectFilter {
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
}

function fieldValue(type: ResourceType, object: KubeObject, label: string): string | undefined {
  if (label === 'metadata.name') return object.metadata.name ?? '';
  if (label === 'metadata.namespace') return object.metadata.namespace ?? '';
  return type.hooks.fieldLabel?.(object, label);
}

export function parseFilter(
  type: ResourceType,
  namespace: string | undefined,
  params: URLSearchParams,
): ObjectFilter {
  const fields = parseFieldSelector(params.get('fieldSelector'));
  const probe: KubeObject = { metadata: {} };
  for (const requirement of fields) {
    if (fieldValue(type, probe, requirement.field) === undefined) {
      throw badRequest(`field label not supported: ${requirement.field}`);
    }
  }
  return { namespace, labels: parseLabelSelector(params.get('labelSelector')), fields };
}

/** Whether a stored object passes the filter (namespace, labels, fields). */
export function matches(type: ResourceType, filter: ObjectFilter, object: KubeObject): boolean {
  if (filter.namespace !== undefined && object.metadata.namespace !== filter.namespace) return false;
  if (filter.labels.length && !matchesLabels(filter.labels, object.metadata.labels)) return false;
  if (filter.fields.length && !matchesFields(filter.fields, (label) => fieldValue(type, object, label)))
    return false;
  return true;
}
