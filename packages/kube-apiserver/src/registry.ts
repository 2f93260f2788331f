/**
 * The served resources: built-in kinds registered at start, custom resources added and removed as
 * CRDs come and go. Discovery and OpenAPI are derived from it, so a CRD is served as soon as it is here.
 */
import type { ResourceType } from './resource-type.js';

export interface GroupVersions {
  group: string;
  /** Served versions, preferred (storage) first. */
  versions: string[];
}

export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  /** Group → versions in preference order; core group is ''. */
  private readonly groupOrder = new Map<string, string[]>();
  private generation = 0;

  private static key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  /** Bumped on every change: discovery and OpenAPI documents hash on it. */
  changeCount(): number {
    return this.generation;
  }

  add(type: ResourceType, preferred = false): void {
    this.types.set(ResourceRegistry.key(type.group, type.version, type.resource), type);
    const versions = this.groupOrder.get(type.group) ?? [];
    if (!versions.includes(type.version)) {
      if (preferred) versions.unshift(type.version);
      else versions.push(type.version);
    }
    this.groupOrder.set(type.group, versions);
    this.generation++;
  }

  /** Removes every version of a resource (a CRD deleted or changed). */
  removeResource(group: string, resource: string): void {
    for (const [key, type] of this.types) {
      if (type.group === group && type.resource === resource) this.types.delete(key);
    }
    const remaining = [...this.types.values()].filter((t) => t.group === group).map((t) => t.version);
    const versions = (this.groupOrder.get(group) ?? []).filter((v) => remaining.includes(v));
    if (versions.length) this.groupOrder.set(group, versions);
    else this.groupOrder.delete(group);
    this.generation++;
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.get(ResourceRegistry.key(group, version, resource));
  }

  /** All versions of one resource, e.g. to resolve an owner reference or clean up a CRD. */
  byStorageKey(storageKey: string): ResourceType[] {
    return [...this.types.values()].filter((t) => t.storageKey === storageKey);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return [...this.types.values()].find(
      (t) => t.group === group && t.version === version && t.kind === kind,
    );
  }

  groups(): GroupVersions[] {
    return [...this.groupOrder.entries()].map(([group, versions]) => ({ group, versions }));
  }

  resourcesOf(group: string, version: string): ResourceType[] {
    return [...this.types.values()].filter((t) => t.group === group && t.version === version);
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }
}
