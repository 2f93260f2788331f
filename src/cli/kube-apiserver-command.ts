import { parseArgs } from 'node:util';
import { startKubeApiServer } from '../sandbox/kube/index.js';
import { UsageError, type CliCommand } from './command.js';

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

export const kubeApiServerCommand: CliCommand = {
  name: 'kube-apiserver',
  summary: 'run the in-process Kubernetes API server (HTTPS, bearer token) and write its kubeconfig',
  usage: [
    'Usage: ram-delegation kube-apiserver --port <n> --kubeconfig <path> [--host 127.0.0.1] [--token <t>]',
    '',
    'Serves the Kubernetes API (namespaces, secrets, configmaps, events, leases, CRDs and their custom',
    'resources) over HTTPS with a certificate made at start, and writes a kubeconfig (CA data and a bearer',
    'token) that kubectl and @kubernetes/client-node use as is. State lives in memory only.',
    '  --port <n>          port to listen on; 0 picks a free one',
    '  --kubeconfig <path> where to write the kubeconfig',
    '  --host <ip>         address to listen on (default 127.0.0.1)',
    '  --token <t>         bearer token to require (default: random)',
    '',
    'Prints "kube-apiserver listening on https://<host>:<port>" when ready; SIGINT or SIGTERM stops it.',
  ].join('\n'),
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          port: { type: 'string' },
          kubeconfig: { type: 'string' },
          host: { type: 'string' },
          token: { type: 'string' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.port === undefined || !/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError('--port <n> is required (0-65535)');
    }
    if (!values.kubeconfig) throw new UsageError('--kubeconfig <path> is required');
    const server = await startKubeApiServer({
      port: Number(values.port),
      host: values.host ?? '127.0.0.1',
      kubeconfigPath: values.kubeconfig,
      token: values.token,
    });
    console.log(`kube-apiserver listening on ${server.url}`);
    console.log(`kubeconfig written to ${server.kubeconfigPath}`);
    await untilSignalled();
    await server.stop();
    return 0;
  },
};
