/**
 * Shared by the kube-* integration tests and the kubectl-* e2e tests: starts the in-process API
 * server, gives a client-node KubeConfig for it, a raw HTTPS helper (for headers and exact bodies), and
 * the small `widgets.example.com` CRD the tests use.
 */
import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServerOptions, type RunningKubeApiServer } from '../../src/index.js';

export async function startTestServer(
  options: Partial<KubeApiServerOptions> = {},
): Promise<RunningKubeApiServer> {
  return startKubeApiServer({ port: 0, ...options });
}

export function kubeConfigFor(server: RunningKubeApiServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  return kc;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTPS request with the server's CA and token (no client library in between). */
export function raw(
  server: RunningKubeApiServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      `${server.url}${path}`,
      {
        method,
        ca: server.caCertificate,
        headers: {
          Authorization: `Bearer ${server.token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Reads a watch stream for a while (or until `until` says stop) and returns its events. */
export function watchEvents(
  server: RunningKubeApiServer,
  path: string,
  options: { until?: (events: any[]) => boolean; maxMs?: number; accept?: string } = {},
): Promise<{ events: any[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let buffer = '';
    let settled = false;
    const req = request(
      `${server.url}${path}`,
      {
        ca: server.caCertificate,
        headers: { Authorization: `Bearer ${server.token}`, Accept: options.accept ?? 'application/json' },
      },
      (res) => {
        const finish = (ended: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.destroy();
          resolve({ events, ended });
        };
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (line.trim()) events.push(JSON.parse(line));
          }
          if (options.until?.(events)) finish(false);
        });
        res.on('end', () => finish(true));
        const timer = setTimeout(() => finish(false), options.maxMs ?? 3000);
      },
    );
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    req.end();
  });
}

export const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      shortNames: ['wg'],
      categories: ['all-widgets'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['color'],
                properties: {
                  color: {
                    type: 'string',
                    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'color is immutable' }],
                  },
                  size: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
                },
              },
              status: {
                type: 'object',
                properties: {
                  observedGeneration: { type: 'integer' },
                  conditions: {
                    type: 'array',
                    items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

/** Creates the Widget CRD through the raw API and waits until its resource is served. */
export async function installWidgetCrd(server: RunningKubeApiServer): Promise<void> {
  const created = await raw(
    server,
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    WIDGET_CRD,
  );
  if (created.status !== 201) throw new Error(`CRD create failed: ${created.text}`);
  for (let i = 0; i < 50; i++) {
    const res = await raw(server, 'GET', '/apis/example.com/v1');
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('widgets.example.com never served');
}

export function widget(
  name: string,
  spec: Record<string, unknown> = { color: 'blue', size: 2 },
  extra: Record<string, unknown> = {},
) {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, ...extra }, spec };
}

export const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
