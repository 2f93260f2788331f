import type { AddressInfo } from 'node:net';
import type { CloudBackend } from './contract.js';
import { createCloudBackend } from './cloud/index.js';
import type { ErrorLog } from './server/error-rendering.js';
import { createEmulatorServer } from './server/http-server.js';

export interface StartEmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The cloud model; defaults to a fresh `createCloudBackend({ clock, random })`. */
  backend?: CloudBackend;
  clock?: () => Date;
  /** Randomness for fault decisions, lag draws and ids (seed it in tests). */
  random?: () => number;
  log?: ErrorLog;
  /** Serve HTTPS with this PEM key and certificate instead of HTTP. */
  tls?: { key: string; cert: string };
}

export interface RunningEmulator {
  /** `http://<host>:<port>` (`https://` with `tls`). */
  url: string;
  port: number;
  backend: CloudBackend;
  /** Stops accepting, closes every connection (keep-alive ones too) and resolves when closed. */
  stop(): Promise<void>;
}

/**
 * Starts the Alibaba Cloud emulator (RAM, STS, EventBridge PutEvents and the `/_emulator` admin API) on
 * one HTTP port. Clients point the official SDKs at `endpoint: '<host>:<port>', protocol: 'http'`.
 */
export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const backend =
    options.backend ??
    createCloudBackend({
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  const { server } = createEmulatorServer({
    backend,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    backend,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

export { createCloudBackend, type CloudBackendOptions } from './cloud/index.js';
export type { CloudBackend, ModelFaults } from './contract.js';
export {
  adminCall,
  adminRequest,
  callCounts,
  createAccount,
  type AdminAnswer,
  type RootKey,
} from './admin-client.js';
