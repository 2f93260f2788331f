#!/usr/bin/env node
/**
 * `kube-apiserver --port <n> --kubeconfig <path>`: the API server as a process. Prints its ready line,
 * then serves until SIGINT or SIGTERM (a second signal during the stop is ignored, as `npm run` and
 * `tsx` often relay one).
 */
import { parseArgs } from 'node:util';
import { startKubeApiServer, type KubeApiServerOptions } from './index.js';

const USAGE = [
  'Usage: kube-apiserver --port <n> --kubeconfig <path> [--host 127.0.0.1] [--token <t>]',
  '                      [--watch-timeout-seconds <n>]',
  '',
  'Serves the Kubernetes API (namespaces, secrets, configmaps, events, leases, RBAC, CRDs and their',
  'custom resources) over HTTPS with a certificate made at start, and writes a kubeconfig (CA data and a',
  'bearer token) that kubectl and @kubernetes/client-node use as is. State lives in memory only.',
  'The kubeconfig token is cluster-admin; `kubectl create token <sa>` mints ServiceAccount tokens that',
  'RBAC (Roles, ClusterRoles and their bindings) governs. PUT /_kube/faults (admin) injects faults.',
  '  --port <n>                   port to listen on; 0 picks a free one',
  '  --kubeconfig <path>          where to write the kubeconfig',
  '  --host <ip>                  address to listen on (default 127.0.0.1)',
  '  --token <t>                  admin bearer token to require (default: random)',
  '  --watch-timeout-seconds <n>  a watch without timeoutSeconds ends after n to 2n seconds (default 180)',
  '',
  'Prints "kube-apiserver listening on https://<host>:<port>" when ready; SIGINT or SIGTERM stops it.',
].join('\n');

/** The options, or the reason the command line is wrong. */
function readArguments(args: string[]): KubeApiServerOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' },
        kubeconfig: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        token: { type: 'string' },
        'watch-timeout-seconds': { type: 'string' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const port = Number(values.port);
  if (values.port === undefined || !/^\d+$/.test(values.port) || port > 65535) {
    return `--port must be a number from 0 (any free port) to 65535, got "${values.port ?? ''}"`;
  }
  if (!values.kubeconfig) return '--kubeconfig <path> is required';
  const watchTimeout = values['watch-timeout-seconds'];
  if (watchTimeout !== undefined && (!/^\d+$/.test(watchTimeout) || Number(watchTimeout) < 1)) {
    return `--watch-timeout-seconds must be a whole number of seconds from 1, got "${watchTimeout}"`;
  }
  return {
    port,
    host: values.host,
    kubeconfigPath: values.kubeconfig,
    token: values.token,
    watchTimeoutSeconds: watchTimeout === undefined ? undefined : Number(watchTimeout),
  };
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = readArguments(args);
  if (typeof options === 'string') {
    console.error(`kube-apiserver: ${options}\n\n${USAGE}`);
    return 2;
  }
  const signalled = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  const server = await startKubeApiServer(options);
  console.log(`kube-apiserver listening on ${server.url}`);
  console.log(`kubeconfig written to ${server.kubeconfigPath}`);
  await signalled;
  await server.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
