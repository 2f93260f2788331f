import { parseOptions, parsePort, untilSignalled } from './arguments.js';
import { startKubeApiServer } from '../sandbox/kube/index.js';
import { UsageError, type CliCommand } from './command.js';

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
    const values = parseOptions(args, {
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
    });
    const port = parsePort(values.port);
    if (!values.kubeconfig) throw new UsageError('--kubeconfig <path> is required');
    const signalled = untilSignalled();
    const server = await startKubeApiServer({
      port,
      host: values.host ?? '127.0.0.1',
      kubeconfigPath: values.kubeconfig,
      token: values.token,
    });
    console.log(`kube-apiserver listening on ${server.url}`);
    console.log(`kubeconfig written to ${server.kubeconfigPath}`);
    await signalled;
    await server.stop();
    return 0;
  },
};
