/**
 * Helpers for the emulator wire tests: official SDK clients pointed at an emulator, and a small HTTP
 * relay that lets a test alter or replay what a real client sent (the attacker in the middle).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import RamModule from '@alicloud/ram20150501';
import StsModule from '@alicloud/sts20150401';
import EventBridgeModule, * as $EventBridge from '@alicloud/eventbridge';
import { $OpenApiUtil } from '@alicloud/openapi-core';

/**
 * The SDKs are CommonJS with `exports.default = Client`. Node's ESM loader hands `module.exports` to a
 * default import, vitest's interop hands `exports.default`: accept both.
 */
function commonJsDefault<T>(imported: { default: T }): T {
  const inner = (imported as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : imported) as T;
}

export const RamClient = commonJsDefault(RamModule);
export const StsClient = commonJsDefault(StsModule);
const EventBridgeClient = commonJsDefault(EventBridgeModule);

export interface ClientCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** An OpenAPI SDK Config for `endpoint` over plain HTTP; `extra` adds e.g. `signatureAlgorithm: 'v2'`. */
export function sdkConfig(
  endpoint: string,
  credentials: ClientCredentials,
  extra: Record<string, unknown> = {},
) {
  return new $OpenApiUtil.Config({ ...credentials, endpoint, protocol: 'http', ...extra });
}

export function eventBridgeClient(endpoint: string, credentials: ClientCredentials) {
  return new EventBridgeClient(new $EventBridge.Config({ ...credentials, endpoint, protocol: 'http' }));
}

export function cloudEvent(id: string, bus: string, data: unknown) {
  return new $EventBridge.CloudEvent({
    id,
    source: 'wire-test',
    type: 'wire.test',
    data: Buffer.from(JSON.stringify(data)),
    extensions: { aliyuneventbusname: bus },
  });
}

/** A request as the relay received it; a tamper function may change any part. */
export interface RelayedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface RelayedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function forward(port: number, req: RelayedRequest): Promise<RelayedResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/**
 * Starts a relay to the emulator on `targetPort`. For each client request, `tamper` returns the requests
 * to send on, in order (return it twice to replay it); the client gets the last answer.
 */
export async function startRelay(
  targetPort: number,
  tamper: (request: RelayedRequest) => RelayedRequest[],
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const original: RelayedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: { ...incoming.headers },
        body: Buffer.concat(chunks),
      };
      const run = async (): Promise<RelayedResponse | undefined> => {
        let last: RelayedResponse | undefined;
        for (const req of tamper(original)) last = await forward(targetPort, req);
        return last;
      };
      run().then(
        (last) => {
          if (last === undefined) throw new Error('tamper returned no request');
          const headers = { ...last.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          delete headers['keep-alive'];
          response.writeHead(last.status, headers);
          response.end(last.body);
        },
        (error: unknown) => {
          response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The error an SDK call rejected with (fails the test when the call succeeded). */
export async function sdkError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
