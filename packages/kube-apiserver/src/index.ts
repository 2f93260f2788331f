/**
 * An in-process Kubernetes API server for tests, the sandbox and first tries: HTTPS with a certificate
 * made at start, a bearer token, and a kubeconfig that kubectl and @kubernetes/client-node use as is.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ApiRequestHandler } from './api-server.js';
import { registerBuiltins } from './builtin/index.js';
import type { ServerContext } from './context.js';
import { CrdController } from './crd/crd-controller.js';
import { GarbageCollector } from './garbage-collector.js';
import { writeKubeconfig } from './kubeconfig.js';
import { ResourceRegistry } from './registry.js';
import { compileCrd as defaultCompileCrd } from './schema/index.js';
import type { CompileCrd } from './schema/contract.js';
import { ObjectStore } from './store.js';
import { makeServingCertificate } from './tls.js';
import { WatchStreams } from './watch.js';

export interface KubeApiServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where to write the kubeconfig; default a file in the OS temp directory. */
  kubeconfigPath?: string;
  /** Bearer token clients must send; default a random one. */
  token?: string;
  /** How many changes the watch history keeps (older resourceVersions get 410). Default 10,000. */
  historyLimit?: number;
  /** BOOKMARK interval for watches that allow them. Default 10 s. */
  bookmarkIntervalMs?: number;
  /** The CRD schema compiler; default the schema module's. */
  compileCrd?: CompileCrd;
  onRequest?: (method: string, path: string, status: number) => void;
}

export interface RunningKubeApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  /** PEM of the serving certificate (also its CA). */
  caCertificate: string;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<RunningKubeApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const ctx: ServerContext = {
    store: new ObjectStore(options.historyLimit ?? 10_000),
    registry: new ResourceRegistry(),
    compileCrd: options.compileCrd ?? defaultCompileCrd,
    now: () => new Date(),
  };
  registerBuiltins(ctx);
  const crds = new CrdController(ctx);
  const gc = new GarbageCollector(ctx);
  const watches = new WatchStreams(ctx, { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000 });
  const tls = await makeServingCertificate(host);
  let address = `${host}:${options.port}`;
  const handler = new ApiRequestHandler(ctx, watches, {
    token,
    serverAddress: () => address,
    onRequest: options.onRequest,
  });
  const server = createServer({ cert: tls.cert, key: tls.key }, handler.listener);
  const bound = await listen(server, options.port, host);
  // Listening on every address: clients still reach it (and the certificate names it) as 127.0.0.1.
  const clientHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const urlHost = clientHost.includes(':') ? `[${clientHost}]` : clientHost;
  address = `${urlHost}:${bound.port}`;
  const url = `https://${address}`;
  const kubeconfigPath = options.kubeconfigPath ?? join(tmpdir(), `ram-delegation-kubeconfig-${bound.port}`);
  await writeKubeconfig(kubeconfigPath, { server: url, caCertificate: tls.cert, token });
  return {
    url,
    port: bound.port,
    kubeconfigPath,
    token,
    caCertificate: tls.cert,
    stop: async () => {
      watches.closeAll();
      crds.stop();
      gc.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export { kubectlFor, type Kubectl, type KubectlResult } from './kubectl.js';
