import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { CloudBackend } from '../contract.js';
import { ADMIN_PREFIX, serveAdmin } from './admin-routes.js';
import { asApiError, renderOpenApiError, type ErrorLog } from './error-rendering.js';
import { serveEventBridge } from './eventbridge-route.js';
import { FaultInjector } from './fault-injector.js';
import { serveOpenApi, type ServiceRouteDeps } from './openapi-route.js';
import { ReplayGuard } from './replay-guard.js';
import { wireErrors } from './wire-errors.js';
import type { WireRequest, WireResponse } from './wire-types.js';

export interface EmulatorServerOptions {
  backend: CloudBackend;
  /** The emulator's notion of now (timestamps, nonces, token buckets, the model's `ctx.now`). */
  clock?: () => Date;
  /** Randomness for fault decisions; seed it for reproducible tests. */
  random?: () => number;
  /** Where internal errors are reported (default: stderr). */
  log?: ErrorLog;
  /** Largest accepted request body (default 1 MiB); larger is 413. */
  maxBodyBytes?: number;
  /**
   * Serve HTTPS with this PEM key and certificate (then `acs:SecureTransport` is true). Needed only by
   * clients that insist on HTTPS, such as @alicloud/credentials' ram_role_arn provider.
   */
  tls?: { key: string; cert: string };
}

export interface EmulatorServer {
  server: Server | TlsServer;
  faults: FaultInjector;
}

/** Paths of the EventBridge data plane (`/openapi/<action>`); everything else not admin is RAM/STS. */
const EVENTBRIDGE_PREFIX = '/openapi/';

function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function write(response: ServerResponse, answer: WireResponse, requestId: string): void {
  const headers: Record<string, string | number> = { ...answer.headers, 'x-acs-request-id': requestId };
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  const body = Buffer.from(answer.body, 'utf8');
  headers['content-length'] = body.length;
  response.writeHead(answer.status, headers);
  response.end(body);
}

/**
 * Creates (does not start) the emulator's HTTP server: one port for the admin API, RAM and STS (any other
 * path) and the EventBridge data plane (`/openapi/putEvents`). Keep-alive stays on for the SDK clients.
 */
export function createEmulatorServer(options: EmulatorServerOptions): EmulatorServer {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const faults = new FaultInjector(options.random ?? Math.random);
  const replay = new ReplayGuard();
  const deps: ServiceRouteDeps = { backend: options.backend, faults, replay, log };

  async function answer(request: WireRequest): Promise<WireResponse> {
    if (request.path.startsWith(ADMIN_PREFIX)) return serveAdmin(request, deps);
    const latency = faults.settings.latencyMs;
    if (latency > 0) await delay(latency);
    if (request.path.startsWith(EVENTBRIDGE_PREFIX)) return serveEventBridge(request, deps);
    return serveOpenApi(request, deps);
  }

  const handler = (incoming: IncomingMessage, response: ServerResponse): void => {
    const requestId = randomUUID().toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    incoming.on('end', () => {
      const url = incoming.url ?? '/';
      const mark = url.indexOf('?');
      const request: WireRequest = {
        method: incoming.method ?? 'GET',
        path: mark < 0 ? url : url.slice(0, mark),
        rawQuery: mark < 0 ? '' : url.slice(mark + 1),
        headers: incoming.headers,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        sourceIp: sourceIpOf(incoming),
        secureTransport: options.tls !== undefined,
        requestId,
        receivedAt: clock(),
      };
      if (size > maxBodyBytes) {
        write(
          response,
          renderOpenApiError(wireErrors.bodyTooLarge(maxBodyBytes), requestId, 'emulator', 'Emulator'),
          requestId,
        );
        return;
      }
      answer(request).then(
        (result) => write(response, result, requestId),
        (error: unknown) => {
          const apiError = asApiError(error, log, `${request.method} ${request.path}`, requestId);
          if (response.headersSent) response.destroy();
          else write(response, renderOpenApiError(apiError, requestId, 'emulator', 'Emulator'), requestId);
        },
      );
    });
    incoming.on('error', () => response.destroy());
  };
  const server = options.tls
    ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createServer(handler);
  server.keepAliveTimeout = 65_000;
  return { server, faults };
}
