/**
 * Discovery documents: the legacy `/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>` lists and the aggregated
 * `apidiscovery.k8s.io/v2` form that kubectl 1.32 asks for first.
 */
import type { ResourceRegistry } from './registry.js';
import { STANDARD_VERBS, type ResourceType, type SubresourceInfo } from './resource-type.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the Accept header asks for the aggregated v2 discovery document. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some(
      (part) =>
        part.includes('as=APIGroupDiscoveryList') &&
        part.includes('g=apidiscovery.k8s.io') &&
        /v=v2(;|$)/.test(part.replace(/\s/g, '')),
    );
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = registry
    .groups()
    .filter((g) => g.group !== '')
    .map((g) => groupEntry(g.group, g.versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const found = registry.groups().find((g) => g.group === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, found.versions) } : undefined;
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.resourcesOf(group, version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    const entry: Record<string, unknown> = {
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs ?? STANDARD_VERBS,
    };
    if (t.shortNames.length) entry.shortNames = t.shortNames;
    if (t.categories.length) entry.categories = t.categories;
    resources.push(entry);
    for (const sub of subresourcesOf(t)) {
      const subEntry: Record<string, unknown> = {
        name: `${t.resource}/${sub.name}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== t.group || sub.version !== t.version) {
        subEntry.group = sub.group;
        subEntry.version = sub.version;
      }
      resources.push(subEntry);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** The status subresource (when served) and the kind's other subresources. */
function subresourcesOf(t: ResourceType): SubresourceInfo[] {
  const status: SubresourceInfo[] = t.statusSubresource
    ? [
        {
          name: 'status',
          group: t.group,
          version: t.version,
          kind: t.kind,
          verbs: ['get', 'patch', 'update'],
        },
      ]
    : [];
  return [...status, ...(t.subresources ?? [])];
}

function discoveryResource(t: ResourceType): Record<string, unknown> {
  const responseKind = { group: t.group, version: t.version, kind: t.kind };
  const entry: Record<string, unknown> = {
    resource: t.resource,
    responseKind,
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs ?? STANDARD_VERBS,
  };
  if (t.shortNames.length) entry.shortNames = t.shortNames;
  if (t.categories.length) entry.categories = t.categories;
  const subresources = subresourcesOf(t);
  if (subresources.length) {
    entry.subresources = subresources.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
      verbs: sub.verbs,
    }));
  }
  return entry;
}

/** The aggregated list for `/api` (core group only) or `/apis` (every named group). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean): Record<string, unknown> {
  const items = registry
    .groups()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: registry.resourcesOf(g.group, version).map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
