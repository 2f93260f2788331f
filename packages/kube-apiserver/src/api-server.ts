/**
 * The HTTPS request handler: bearer-token authentication, then discovery, OpenAPI, or a resource.
 * Every failure is answered with a Kubernetes Status.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from './discovery.js';
import { pageNotFound, unauthorized } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import { openApiDocument, openApiRoot } from './openapi.js';
import { ResourceHandler } from './resource-handler.js';
import { parseRoute } from './router.js';
import type { WatchStreams } from './watch.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-ram-delegation-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface ApiServerOptions {
  token: string;
  /** host:port, for the `/api` document. */
  serverAddress: () => string;
  /** Called once per request after the response is sent (method, path, status). */
  onRequest?: (method: string, path: string, status: number) => void;
}

export class ApiRequestHandler {
  private readonly resources: ResourceHandler;
  private readonly token: Buffer;

  constructor(
    private readonly ctx: ServerContext,
    watches: WatchStreams,
    private readonly options: ApiServerOptions,
  ) {
    this.resources = new ResourceHandler(ctx, watches);
    this.token = Buffer.from(`Bearer ${options.token}`);
  }

  private authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  /** Node's request listener; never rejects. */
  listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((error: unknown) => sendError(res, error));
    res.on('finish', () => this.options.onRequest?.(req.method ?? '', req.url ?? '', res.statusCode));
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const route = parseRoute(url.pathname);
    if (route.kind === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!this.authorized(req)) throw unauthorized();
    const registry = this.ctx.registry;
    const aggregated = wantsAggregated(req.headers.accept);
    switch (route.kind) {
      case 'version':
        return sendJson(res, 200, SERVER_VERSION);
      case 'api':
        if (aggregated)
          return sendJson(res, 200, aggregatedDiscovery(registry, true), AGGREGATED_CONTENT_TYPE);
        return sendJson(res, 200, apiVersions(this.options.serverAddress()));
      case 'apis':
        if (aggregated)
          return sendJson(res, 200, aggregatedDiscovery(registry, false), AGGREGATED_CONTENT_TYPE);
        return sendJson(res, 200, apiGroupList(registry));
      case 'group': {
        const body = apiGroup(registry, route.group);
        if (!body) throw pageNotFound();
        return sendJson(res, 200, body);
      }
      case 'groupVersion': {
        const body = apiResourceList(registry, route.group, route.version);
        if (!body) throw pageNotFound();
        return sendJson(res, 200, body);
      }
      case 'openapiRoot':
        return sendJson(res, 200, openApiRoot(registry));
      case 'openapiDocument': {
        const doc = openApiDocument(registry, route.group, route.version, (type) =>
          this.crdSchema(type.storageKey, type.version),
        );
        if (!doc) throw pageNotFound();
        return sendJson(res, 200, doc);
      }
      case 'resource':
        return this.resources.handle(req, res, route, url.searchParams);
      default:
        throw pageNotFound();
    }
  }

  /** The openAPIV3Schema of one version of a CRD, for the OpenAPI document. */
  private crdSchema(storageKey: string, version: string): unknown {
    const [group, plural] = storageKey.split('/');
    const crd = this.ctx.store.get(
      'apiextensions.k8s.io/customresourcedefinitions',
      undefined,
      `${plural}.${group}`,
    );
    const versions = (
      crd?.spec as { versions?: { name?: string; schema?: { openAPIV3Schema?: unknown } }[] } | undefined
    )?.versions;
    return versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  }
}
