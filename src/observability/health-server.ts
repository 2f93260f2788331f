import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';

/**
 * The operator's HTTP endpoints for Kubernetes probes and Prometheus:
 * - `/healthz`: the process is up and serving (liveness). Always 200 while the server runs.
 * - `/readyz`: the injected check passes, typically "informers have synced" (readiness). 503 with the
 *   reason otherwise. A replica waiting for the leader Lease is ready: it serves, it just does not act.
 * - `/metrics`: the registry in Prometheus text format.
 */

/** Readiness: `true`, or a reason why not. */
type ReadinessCheck = () => true | string;

export interface HealthServerOptions {
  /** Undefined host: all interfaces. Port 0 picks a free port (see {@link HealthServer.start}). */
  address: { host: string | undefined; port: number };
  registry: Registry;
  readiness: ReadinessCheck;
  logger?: Logger;
}

export interface HealthServer {
  /** Listens; resolves the bound port. */
  start(): Promise<{ port: number }>;
  /** Stops accepting connections and closes idle keep-alive ones; resolves when closed. */
  stop(): Promise<void>;
}

export function createHealthServer(options: HealthServerOptions): HealthServer {
  let server: Server | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    switch (path) {
      case '/healthz':
        reply(response, 200, 'ok\n');
        return;
      case '/readyz': {
        const ready = safeReadiness(options.readiness);
        if (ready === true) reply(response, 200, 'ok\n');
        else reply(response, 503, `not ready: ${ready}\n`);
        return;
      }
      case '/metrics': {
        const body = await options.registry.metrics();
        reply(response, 200, body, { 'content-type': options.registry.contentType });
        return;
      }
      default:
        reply(response, 404, 'not found\n');
    }
  };

  return {
    async start() {
      if (server) throw new Error('health server already started');
      const created = createServer((request, response) => {
        handle(request, response).catch((error: unknown) => {
          options.logger?.error({ err: error }, 'health endpoint failed');
          if (!response.headersSent) reply(response, 500, 'internal error\n');
          else response.destroy();
        });
      });
      server = created;
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(options.address.port, options.address.host, () => {
          created.off('error', reject);
          resolve();
        });
      });
      return { port: (created.address() as AddressInfo).port };
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve, reject) => {
        current.close((error) => (error ? reject(error) : resolve()));
        current.closeIdleConnections();
      });
    },
  };
}

function safeReadiness(check: ReadinessCheck): true | string {
  try {
    return check();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function reply(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
}
