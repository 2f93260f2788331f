/**
 * A minimal OpenAPI v3: the root index and one document per group/version with a PATCH operation per
 * resource. kubectl reads these to decide that the server validates fields itself (the `fieldValidation`
 * query parameter) and which patch types a kind accepts: custom resources list no strategic merge, so
 * kubectl apply sends JSON merge patches for them. Built-in kinds list none either, so kubectl falls
 * back to its compiled-in types for strategic merge patches.
 */
import type { ResourceRegistry } from './registry.js';
import { groupVersionPath, type ResourceType } from './resource-type.js';
import { cloneJson, isJsonObject } from './types.js';

function gvKey(group: string, version: string): string {
  return groupVersionPath(group, version).slice(1);
}

export function openApiRoot(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, versions } of registry.groups()) {
    for (const version of versions) {
      const key = gvKey(group, version);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documentHash(registry, group, version)}` };
    }
  }
  return { paths };
}

function documentHash(registry: ResourceRegistry, group: string, version: string): string {
  const text = `${registry.changeCount()}/${group}/${version}`;
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16).toUpperCase().padStart(8, '0').repeat(2);
}

const QUERY = (name: string, description: string): Record<string, unknown> => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

function operation(type: ResourceType, action: string, body?: string[]): Record<string, unknown> {
  const gvk = gvkOf(type);
  const op: Record<string, unknown> = {
    operationId: `${action}${type.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: { '200': { description: 'OK' } },
  };
  if (body) {
    op.parameters = [
      QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
      QUERY(
        'fieldManager',
        'fieldManager is a name associated with the actor or entity that is making these changes.',
      ),
      QUERY(
        'fieldValidation',
        'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn (default) or Strict.',
      ),
    ];
    op.requestBody = {
      content: Object.fromEntries(body.map((media) => [media, { schema: { type: 'object' } }])),
    };
  }
  return op;
}

function gvkOf(type: ResourceType): Record<string, string> {
  return { group: type.group, version: type.version, kind: type.kind };
}

function schemaName(type: ResourceType): string {
  const reversed = type.group ? type.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${reversed}.${type.version}.${type.kind}`;
}

export function openApiDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
  crdSchema: (type: ResourceType) => unknown,
): Record<string, unknown> | undefined {
  const types = registry.resourcesOf(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const base = groupVersionPath(group, version);
  for (const type of types) {
    const collection = type.namespaced
      ? `${base}/namespaces/{namespace}/${type.resource}`
      : `${base}/${type.resource}`;
    const patchTypes = [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ];
    if (type.review) {
      paths[collection] = { post: operation(type, 'post', ['application/json']) };
      schemas[schemaName(type)] = { type: 'object', 'x-kubernetes-group-version-kind': [gvkOf(type)] };
      continue;
    }
    paths[collection] = { get: operation(type, 'list'), post: operation(type, 'post', ['application/json']) };
    paths[`${collection}/{name}`] = {
      get: operation(type, 'get'),
      put: operation(type, 'put', ['application/json']),
      patch: operation(type, 'patch', patchTypes),
      delete: operation(type, 'delete'),
    };
    if (type.statusSubresource) {
      paths[`${collection}/{name}/status`] = {
        get: operation(type, 'get'),
        put: operation(type, 'put', ['application/json']),
        patch: operation(type, 'patch', patchTypes),
      };
    }
    const given = crdSchema(type);
    const schema = isJsonObject(given) ? cloneJson(given) : { type: 'object' };
    schema['x-kubernetes-group-version-kind'] = [gvkOf(type)];
    schemas[schemaName(type)] = schema;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}
