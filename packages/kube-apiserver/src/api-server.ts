/**
 * The HTTPS request handler, in the real server's filter order: authentication (bearer token),
 * impersonation, injected faults (latency, then 429/5xx for non-watch requests), RBAC authorization
 * (403 Forbidden), then discovery, OpenAPI or a resource. `/_kube/faults` (admin only) reads and sets
 * the faults. Every failure is answered with a Kubernetes Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWatch, requestAttributes } from './auth/attributes.js';
import type { Authenticator } from './auth/authenticator.js';
import { forbiddenError } from './auth/forbidden.js';
import { impersonate } from './auth/impersonation.js';
import type { RbacAuthorizer } from './auth/rbac-authorizer.js';
import type { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { isPrivileged, type UserInfo } from './auth/user.js';
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
import { badRequest, methodNotAllowed, pageNotFound } from './errors.js';
import type { FaultInjector } from './faults/fault-injector.js';
import { readBody, sendError, sendJson } from './http-io.js';
import { openApiDocument, openApiRoot } from './openapi.js';
import { ResourceHandler } from './resource-handler.js';
import { parseRoute } from './router.js';
import type { WatchStreams } from './watch.js';

const SERVER_VERSION = {
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

/** Who may do what: the authenticator, the authorizer, and the ServiceAccount token signer. */
export interface Security {
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  tokens: ServiceAccountTokens;
}

export interface ApiServerOptions {
  /** host:port, for the `/api` document. */
  serverAddress: () => string;
  /** Called once per request after the response is sent (method, path, status). */
  onRequest?: (method: string, path: string, status: number) => void;
}

export class ApiRequestHandler {
  private readonly resources: ResourceHandler;

  constructor(
    private readonly ctx: ServerContext,
    watches: WatchStreams,
    private readonly faults: FaultInjector,
    private readonly security: Security,
    private readonly options: ApiServerOptions,
  ) {
    this.resources = new ResourceHandler(ctx, watches, security.tokens);
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
    const { authenticator, authorizer } = this.security;
    const caller = authenticator.authenticate(req.headers.authorization);
    const user = impersonate(caller, req.headersDistinct, (u, a) => authorizer.authorize(u, a));
    if (route.kind === 'faults') return this.serveFaults(req, res, user, url.pathname);
    const attributes = requestAttributes(route, req.method ?? 'GET', url.pathname, url.searchParams);
    await this.faults.delay();
    const failure = isWatch(attributes) ? undefined : this.faults.failure();
    if (failure) throw failure;
    const decision = authorizer.authorize(user, attributes);
    if (!decision.allowed) throw forbiddenError(user, attributes, decision.reason);
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
        return this.resources.handle(req, res, route, url.searchParams, { user, authorizer });
      default:
        throw pageNotFound();
    }
  }

  /** `GET` or `PUT /_kube/faults`: the fault settings, for members of system:masters only. */
  private async serveFaults(
    req: IncomingMessage,
    res: ServerResponse,
    user: UserInfo,
    path: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (!isPrivileged(user)) {
      throw forbiddenError(user, { kind: 'nonResource', verb: method.toLowerCase(), path }, '');
    }
    if (method === 'GET') return sendJson(res, 200, this.faults.settings);
    if (method !== 'PUT') throw methodNotAllowed();
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch (error) {
      throw badRequest(`the fault settings are not valid JSON: ${(error as Error).message}`);
    }
    sendJson(res, 200, this.faults.update(body));
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
