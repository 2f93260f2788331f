/**
 * Serves custom resources for the CRDs in the store: on every CRD change its versions are compiled and
 * (re)registered; when a CRD is deleted its resource disappears from discovery and its objects are
 * removed (with DELETED events for watchers).
 */
import type { ServerContext } from '../context.js';
import type { PrinterColumn, ResourceType } from '../resource-type.js';
import type { CompiledCrd } from '../schema/contract.js';
import type { StoreEvent } from '../store.js';
import { isJsonObject, str, type JsonObject, type KubeObject } from '../types.js';
import { CRD_STORAGE_KEY } from './crd-kind.js';

/** Kube-aware version order: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else (alphabetical). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  if (sa !== sb) return sb - sa;
  if (sa === -1) return a.localeCompare(b);
  if (ma !== mb) return mb - ma;
  return nb - na;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function printerColumns(version: JsonObject): PrinterColumn[] | undefined {
  const columns = version.additionalPrinterColumns;
  if (!Array.isArray(columns) || columns.length === 0) return undefined;
  return columns.filter(isJsonObject).map((c) => ({
    name: str(c.name, ''),
    type: str(c.type, 'string'),
    format: typeof c.format === 'string' ? c.format : undefined,
    description: typeof c.description === 'string' ? c.description : undefined,
    priority: typeof c.priority === 'number' ? c.priority : 0,
    jsonPath: str(c.jsonPath, ''),
  }));
}

/** One ResourceType per served version of a CRD, preferred version first. */
function customResourceTypes(crd: KubeObject, compiled: CompiledCrd | undefined): ResourceType[] {
  const spec = isJsonObject(crd.spec) ? crd.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const group = str(spec.group, '');
  const plural = str(names.plural, '');
  const kind = str(names.kind, '');
  const versions = (Array.isArray(spec.versions) ? spec.versions.filter(isJsonObject) : []).filter(
    (v) => v.served !== false,
  );
  versions.sort((a, b) => compareVersions(String(a.name), String(b.name)));
  return versions.map((version) => {
    const subresources = isJsonObject(version.subresources) ? version.subresources : {};
    const name = str(version.name, '');
    return {
      group,
      version: name,
      resource: plural,
      singular: str(names.singular, kind.toLowerCase()),
      kind,
      listKind: str(names.listKind, `${kind}List`),
      namespaced: spec.scope !== 'Cluster',
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      storageKey: `${group}/${plural}`,
      statusSubresource: isJsonObject(subresources.status),
      custom: true,
      requireResourceVersionOnUpdate: true,
      tracksGeneration: true,
      printerColumns: printerColumns(version),
      schema: compiled?.versions.get(name),
      hooks: {},
    };
  });
}

export class CrdController {
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ServerContext) {
    for (const crd of ctx.store.list(CRD_STORAGE_KEY)) this.serve(crd);
    this.unsubscribe = ctx.store.subscribe((event) => this.observe(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  private observe(event: StoreEvent): void {
    if (event.storageKey !== CRD_STORAGE_KEY) return;
    // After the current write has been delivered to every watcher, so that events stay in order.
    queueMicrotask(() => {
      if (event.type === 'DELETED') this.retire(event.object);
      else this.serve(event.object);
    });
  }

  private serve(crd: KubeObject): void {
    const result = this.ctx.compileCrd(crd);
    const types = customResourceTypes(crd, result.ok ? result.crd : undefined);
    const [first] = types;
    if (!first) return;
    this.ctx.registry.removeResource(first.group, first.resource);
    types.forEach((type, i) => this.ctx.registry.add(type, i === 0));
  }

  private retire(crd: KubeObject): void {
    const [type] = customResourceTypes(crd, undefined);
    if (!type) return;
    this.ctx.registry.removeResource(type.group, type.resource);
    for (const object of this.ctx.store.list(type.storageKey)) this.ctx.store.remove(type.storageKey, object);
  }
}
