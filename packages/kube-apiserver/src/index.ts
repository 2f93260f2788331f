/**
 * An in-process Kubernetes API server for tests, the sandbox and first tries: HTTPS with a certificate
 * made at start, a bearer token, and a kubeconfig that kubectl and @kubernetes/client-node use as is.
 * The kubeconfig's token is cluster-admin; ServiceAccount tokens (TokenRequest) are held to RBAC.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ApiRequestHandler } from './api-server.js';
import { Authenticator } from './auth/authenticator.js';
import { RbacAuthorizer } from './auth/rbac-authorizer.js';
import { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { createToken } from './auth/token-request.js';
import { registerBuiltins } from './builtin/index.js';
import type { ServerContext } from './context.js';
import { CrdController } from './crd/crd-controller.js';
import { FaultInjector } from './faults/fault-injector.js';
import type { FaultSettings } from './faults/fault-settings.js';
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
  /** BOOKMARK interval for watches that allow them (allowWatchBookmarks=true). Default 10 s. */
  bookmarkIntervalMs?: number;
  /**
   * Server-side lifetime of a watch whose client gave no timeoutSeconds: each such watch ends cleanly
   * after a random time between this and twice this (real servers: 30-60 min). Default 180 s.
   */
  watchTimeoutSeconds?: number;
  /** Random source in [0, 1) for faults and watch lifetimes; default Math.random (tests pass a seeded one). */
  random?: () => number;
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
  /**
   * Mints a token for a ServiceAccount, as `kubectl create token` does (404 ApiError when it does not
   * exist; expirationSeconds defaults to 3600).
   */
  createServiceAccountToken(
    namespace: string,
    name: string,
    options?: { expirationSeconds?: number; audiences?: string[] },
  ): { token: string; expirationTimestamp: string };
  /** Writes a kubeconfig for this server that authenticates with the given token. */
  writeKubeconfig(path: string, token: string, namespace?: string): Promise<void>;
  /** The current fault settings (as `GET /_kube/faults`). */
  getFaults(): FaultSettings;
  /** Changes the named fault settings (as `PUT /_kube/faults`); throws a 400 ApiError on bad input. */
  setFaults(update: Partial<FaultSettings>): FaultSettings;
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
  const random = options.random ?? Math.random;
  const faults = new FaultInjector(random);
  const watches = new WatchStreams(ctx, {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    defaultTimeoutMs: (options.watchTimeoutSeconds ?? 180) * 1000,
    random,
    faults,
  });
  const tokens = new ServiceAccountTokens(randomBytes(32));
  const security = {
    authenticator: new Authenticator(token, tokens, ctx.store, () => ctx.now()),
    authorizer: new RbacAuthorizer(ctx.store),
    tokens,
  };
  const tls = await makeServingCertificate(host);
  let address = `${host}:${options.port}`;
  const handler = new ApiRequestHandler(ctx, watches, faults, security, {
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
    createServiceAccountToken: (namespace, name, tokenOptions = {}) => {
      const answer = createToken(ctx, tokens, namespace, name, { spec: tokenOptions });
      return answer.status as { token: string; expirationTimestamp: string };
    },
    writeKubeconfig: (path, userToken, namespace) =>
      writeKubeconfig(path, { server: url, caCertificate: tls.cert, token: userToken, namespace }),
    getFaults: () => ({ ...faults.settings }),
    setFaults: (update) => faults.update(update),
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
export { seededRandom } from './faults/fault-injector.js';
export type { FaultSettings } from './faults/fault-settings.js';
