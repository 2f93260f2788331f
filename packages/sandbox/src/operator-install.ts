/**
 * What the sandbox installs of `deploy/`: the render of the kustomize directory a user applies, minus the
 * workload. The CRD, the operator's namespace, its ServiceAccount and its RBAC go onto the API server as
 * they are; the Deployment, its PodDisruptionBudget and the Service do not, because the operator runs as
 * a local process. It then runs with a token of that ServiceAccount, so every sandbox run, test and demo
 * proves the RBAC that `deploy/` ships is enough.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';

const run = promisify(execFile);

/** The kinds the sandbox applies; everything else in the render is the workload. */
const INSTALLED_KINDS = new Set([
  'CustomResourceDefinition',
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
]);

/** A ServiceAccount, by namespace and name. `<namespace>/<name>` is how sandbox.json spells it. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export interface RenderedInstall {
  /** The objects to create, in the render's order (kustomize puts namespaces and CRDs first). */
  objects: { kind: string; metadata: { name: string; namespace?: string } }[];
  /** The ServiceAccount the Deployment runs as. */
  serviceAccount: ServiceAccountRef;
  /** The CRDs to wait for (`Established`) before the operator starts. */
  crdNames: string[];
}

/** `kubectl kustomize <dir>`, split into what the sandbox installs and the operator's identity. */
export async function renderInstall(deployDir: string): Promise<RenderedInstall> {
  const { stdout } = await run('kubectl', ['kustomize', deployDir], { maxBuffer: 16 * 1024 * 1024 });
  const all = parseAllDocuments(stdout).map((doc) => doc.toJS() as RenderedInstall['objects'][number]);
  const deployment = all.find((o) => o.kind === 'Deployment') as
    | { metadata: { namespace?: string }; spec?: { template?: { spec?: { serviceAccountName?: string } } } }
    | undefined;
  const name = deployment?.spec?.template?.spec?.serviceAccountName;
  const namespace = deployment?.metadata.namespace;
  if (!name || !namespace)
    throw new Error(`${deployDir} renders no Deployment with a namespace and a serviceAccountName`);
  return {
    objects: all.filter((o) => INSTALLED_KINDS.has(o.kind)),
    serviceAccount: { namespace, name },
    crdNames: all.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name),
  };
}

/** Creates the rendered objects with the admin kubeconfig and waits until the CRDs are served. */
export async function applyInstall(kubeconfig: string, install: RenderedInstall): Promise<void> {
  const kubectl = (args: string[], stdin?: string) => {
    const child = run('kubectl', ['--kubeconfig', kubeconfig, ...args]);
    if (stdin !== undefined) child.child.stdin?.end(stdin);
    return child;
  };
  await kubectl(['create', '-f', '-'], install.objects.map((o) => stringify(o)).join('---\n'));
  if (install.crdNames.length > 0) {
    await kubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=30s',
      ...install.crdNames.map((name) => `crd/${name}`),
    ]);
  }
}

export function serviceAccountName(ref: ServiceAccountRef): string {
  return `${ref.namespace}/${ref.name}`;
}
