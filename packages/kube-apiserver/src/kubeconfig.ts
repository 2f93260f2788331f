/** The kubeconfig kubectl and client-node use unmodified: the server's CA and a bearer token. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCertificate: string;
  token: string;
  namespace?: string;
}

const CONTEXT_NAME = 'ram-delegation-sandbox';

function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCertificate).toString('base64'),
        },
      },
    ],
    users: [{ name: 'sandbox-admin', user: { token: input.token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: 'sandbox-admin', namespace: input.namespace ?? 'default' },
      },
    ],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes the kubeconfig readable by its owner only (it holds the token). */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(input), { mode: 0o600 });
}
