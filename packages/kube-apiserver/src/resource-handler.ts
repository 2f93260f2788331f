/**
 * Dispatches a request addressed to a resource (`/api/v1/...`, `/apis/<g>/<v>/...`) to get, list,
 * watch, create, update, patch or delete, and renders the answer in the form the Accept header asks
 * for (JSON, Table, or PartialObjectMetadata).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WriteOptions } from './admission.js';
import type { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { createToken } from './auth/token-request.js';
import type { ServerContext } from './context.js';
import { deleteObject, parseDeleteOptions, type DeleteOptions } from './deletion.js';
import { badRequest, methodNotAllowed, pageNotFound } from './errors.js';
import { decodeBody, mediaType, readBody, sendJson } from './http-io.js';
import { getObject, listBody, listObjects } from './reads.js';
import { apiVersionOf, type RequestScope, type ResourceType } from './resource-type.js';
import type { Route } from './router.js';
import { TableConverter, type IncludeObject } from './table.js';
import { isJsonObject, type KubeObject } from './types.js';
import type { WatchStreams } from './watch.js';
import { ObjectWriter, type Subresource } from './writes.js';

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

type Rendering = { as: 'json' } | { as: 'table'; include: IncludeObject } | { as: 'metadata' };

function rendering(accept: string | undefined, params: URLSearchParams): Rendering {
  const first = (accept ?? '').split(',')[0] ?? '';
  if (first.includes('as=Table')) {
    const include = params.get('includeObject');
    return { as: 'table', include: include === 'None' || include === 'Object' ? include : 'Metadata' };
  }
  if (first.includes('as=PartialObjectMetadata')) return { as: 'metadata' };
  return { as: 'json' };
}

const META_CONTENT_TYPE = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

function writeOptions(params: URLSearchParams): WriteOptions {
  const fv = params.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(`fieldValidation parameter unsupported: ${fv}`);
  }
  const dryRun = params.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All')) throw badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  return { dryRun: dryRun.length > 0, fieldValidation: fv, warnings: [] };
}

export class ResourceHandler {
  private readonly writer: ObjectWriter;

  constructor(
    private readonly ctx: ServerContext,
    private readonly watches: WatchStreams,
    private readonly tokens: ServiceAccountTokens,
  ) {
    this.writer = new ObjectWriter(ctx);
  }

  private resolve(route: ResourceRoute): ResourceType {
    const type = this.ctx.registry.get(route.group, route.version, route.resource);
    if (!type) throw pageNotFound();
    if (!type.namespaced && route.namespace !== undefined) throw pageNotFound();
    const sub = route.subresource;
    if (sub !== undefined && !(sub === 'status' && type.statusSubresource)) {
      if (!type.subresources?.some((s) => s.name === sub) || route.name === undefined) throw pageNotFound();
    }
    return type;
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRoute,
    params: URLSearchParams,
    scope: RequestScope,
  ): Promise<void> {
    const type = this.resolve(route);
    const { namespace, name } = route;
    const method = req.method ?? 'GET';
    if (type.review || (route.subresource !== undefined && route.subresource !== 'status')) {
      if (method !== 'POST' || (type.review && name !== undefined)) throw methodNotAllowed();
      const body = decodeBody(await readBody(req), mediaType(req));
      sendJson(res, 201, this.answer(type, route, body, scope));
      return;
    }
    const subresource: Subresource = route.subresource;
    if (method === 'GET') {
      this.read(req, res, type, route, params);
      return;
    }
    const media = mediaType(req);
    const body = decodeBody(await readBody(req), media);
    if (method === 'POST') {
      if (name !== undefined) throw methodNotAllowed();
      if (type.namespaced && namespace === undefined) throw methodNotAllowed();
      const options = writeOptions(params);
      const created = this.writer.create(type, namespace, body, options);
      sendJson(res, 201, created, undefined, options.warnings);
      return;
    }
    if (method === 'DELETE') {
      if (subresource) throw methodNotAllowed();
      const dryRun = params.getAll('dryRun').includes('All');
      if (name === undefined) {
        sendJson(res, 200, this.deleteCollection(type, namespace, params, parseDeleteOptions(body, dryRun)));
        return;
      }
      const result = deleteObject(this.ctx, type, namespace, name, parseDeleteOptions(body, dryRun));
      sendJson(res, result.code, result.body);
      return;
    }
    if (name === undefined) throw methodNotAllowed();
    const options = writeOptions(params);
    let result: KubeObject;
    if (method === 'PUT') {
      result = this.writer.update(type, namespace, name, body, subresource, options);
    } else if (method === 'PATCH') {
      result = this.writer.patch(type, namespace, name, media, body, subresource, options);
    } else {
      throw methodNotAllowed();
    }
    sendJson(res, 200, result, undefined, options.warnings);
  }

  /** The answer to a POST that creates nothing: an access review, or a ServiceAccount token. */
  private answer(type: ResourceType, route: ResourceRoute, body: unknown, scope: RequestScope): KubeObject {
    if (!type.review)
      return createToken(this.ctx, this.tokens, route.namespace ?? '', route.name ?? '', body);
    if (!isJsonObject(body))
      throw badRequest(`Object '${type.kind}' is invalid: the request body must be a JSON object`);
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the kind in the data (${JSON.stringify(body.kind)}) does not match the expected kind`,
      );
    }
    const metadata = isJsonObject(body.metadata) ? body.metadata : {};
    return type.review({ ...body, apiVersion: apiVersionOf(type), kind: type.kind, metadata }, scope);
  }

  /** DELETE on a collection: every object the selectors match, each as a single DELETE would. */
  private deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    params: URLSearchParams,
    options: DeleteOptions,
  ): Record<string, unknown> {
    params.delete('limit');
    params.delete('continue');
    const result = listObjects(this.ctx, type, namespace, params);
    const items: unknown[] = [];
    for (const object of result.items) {
      const deleted = deleteObject(
        this.ctx,
        type,
        object.metadata.namespace,
        object.metadata.name ?? '',
        options,
      );
      items.push('kind' in deleted.body && deleted.body.kind === 'Status' ? object : deleted.body);
    }
    return listBody(type, {
      items: items as KubeObject[],
      resourceVersion: String(this.ctx.store.currentRevision()),
    });
  }

  private read(
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    route: ResourceRoute,
    params: URLSearchParams,
  ): void {
    const view = rendering(req.headers.accept, params);
    const table =
      view.as === 'table' ? new TableConverter(type, view.include, this.ctx.now().getTime()) : undefined;
    const watch = route.watchPath || params.get('watch') === 'true' || params.get('watch') === '1';
    if (watch) {
      if (route.name !== undefined) {
        const selector = params.get('fieldSelector');
        params.set('fieldSelector', `metadata.name=${route.name}${selector ? `,${selector}` : ''}`);
      }
      this.watches.serve(type, route.namespace, params, res, table);
      return;
    }
    if (route.name !== undefined) {
      const object = getObject(this.ctx, type, route.namespace, route.name);
      if (table)
        sendJson(res, 200, table.table([object], { resourceVersion: object.metadata.resourceVersion }));
      else if (view.as === 'metadata') {
        sendJson(res, 200, {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: object.metadata,
        });
      } else sendJson(res, 200, object);
      return;
    }
    const result = listObjects(this.ctx, type, route.namespace, params);
    if (table) {
      const metadata = {
        resourceVersion: result.resourceVersion,
        continue: result.continueToken,
        remainingItemCount: result.remainingItemCount,
      };
      sendJson(res, 200, table.table(result.items, metadata));
    } else if (view.as === 'metadata') {
      const body = listBody(type, result);
      body.kind = 'PartialObjectMetadataList';
      body.apiVersion = 'meta.k8s.io/v1';
      body.items = result.items.map((o) => ({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      }));
      sendJson(res, 200, body, META_CONTENT_TYPE);
    } else {
      sendJson(res, 200, listBody(type, result));
    }
  }
}
