/**
 * Issues 7 and 13: the kustomize base and the namespaced variant render with kubectl's built-in
 * kustomize, and the renders pass a server-side dry run against our Kubernetes API server (nothing is
 * created). The Deployment is checked for what production needs: probes, resources, a restricted
 * security context, leader election, two replicas spread over nodes with a PodDisruptionBudget, and an
 * image set in one place. test/unit/deploy/rbac-rules.test.ts checks the RBAC rules themselves.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startKubeApiServer, type RunningKubeApiServer } from '@ram-delegation/kube-apiserver';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';

const deployDir = join(import.meta.dirname, '..', '..', 'deploy');
let server: RunningKubeApiServer;
let kubectl: Kubectl;
let rendered: string;
let namespaced: string;

const render = async (dir: string) => (await promisify(execFile)('kubectl', ['kustomize', dir])).stdout;
const objects = (yaml: string): any[] => parseAllDocuments(yaml).map((d) => d.toJS());
const kindsOf = (yaml: string) => objects(yaml).map((d) => `${d.kind}/${d.metadata.name}`);

beforeAll(async () => {
  server = await startKubeApiServer({ port: 0 });
  kubectl = kubectlFor(server);
  [rendered, namespaced] = await Promise.all([render(deployDir), render(join(deployDir, 'namespaced'))]);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('deploy/ kustomize base', () => {
  it('renders the CRD, namespace, RBAC, Deployment, PodDisruptionBudget and Service', () => {
    expect(kindsOf(rendered).sort()).toEqual([
      'ClusterRole/ram-delegation-operator',
      'ClusterRoleBinding/ram-delegation-operator',
      'CustomResourceDefinition/crossaccountdelegations.ram-delegation.dev',
      'Deployment/ram-delegation-operator',
      'Namespace/ram-delegation-system',
      'PodDisruptionBudget/ram-delegation-operator',
      'Role/ram-delegation-operator-leader-election',
      'RoleBinding/ram-delegation-operator-leader-election',
      'Service/ram-delegation-operator-metrics',
      'ServiceAccount/ram-delegation-operator',
    ]);
  });

  it('passes kubectl apply --dry-run=server and creates nothing', async () => {
    // As on a real cluster, a dry-run Namespace is not there for the dry-run objects inside it: the
    // namespace must exist first (GitOps tools create it in an earlier wave).
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ram-delegation-system}\n';
    expect((await kubectl(['apply', '-f', '-'], namespace)).code).toBe(0);
    const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], rendered);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/deployment.apps\/ram-delegation-operator created \(server dry run\)/);
    expect(result.stdout).toMatch(
      /clusterrole.rbac.authorization.k8s.io\/ram-delegation-operator created \(server dry run\)/,
    );
    expect(
      (await kubectl(['get', 'deployment', 'ram-delegation-operator', '-n', 'ram-delegation-system'])).stderr,
    ).toMatch(/NotFound/);
    expect((await kubectl(['get', 'crd', 'crossaccountdelegations.ram-delegation.dev'])).stderr).toMatch(
      /NotFound/,
    );
  });

  it('is refused by the same dry run when broken (the check can fail)', async () => {
    const broken = rendered.replace(
      /matchLabels:\n(\s+)app.kubernetes.io\/name: ram-delegation-operator/,
      'matchLabels:\n$1app.kubernetes.io/name: something-else',
    );
    expect(broken).not.toBe(rendered);
    const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], broken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/selector.*does not match template/);
  });

  it('runs the operator restricted, with leader election', () => {
    const docs = objects(rendered);
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.args).toContain('--leader-elect');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('spreads two replicas over nodes and keeps one through voluntary disruptions', () => {
    const docs = objects(rendered);
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget');
    const podLabels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.replicas).toBe(2);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(pdb.metadata.namespace).toBe(deployment.metadata.namespace);
    expect(podLabels).toMatchObject(pdb.spec.selector.matchLabels);
    const [term, ...others] =
      deployment.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(others).toEqual([]);
    expect(term.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(podLabels).toMatchObject(term.podAffinityTerm.labelSelector.matchLabels);
  });

  it('takes the image from the one images: entry of deploy/base, fully qualified', () => {
    const image = objects(rendered).find((d) => d.kind === 'Deployment').spec.template.spec.containers[0]
      .image;
    // A registry host before the first slash: never resolved to docker.io/library/... by a runtime.
    expect(image).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/[a-z0-9./-]+:[\w.-]+$/);
    expect(image).not.toMatch(/^(docker\.io\/)?(library\/)?ram-delegation-operator[:@]/);
    const kustomizations = filesUnder(deployDir).filter((f) => /kustomization\.ya?ml$/.test(f));
    const withImages = kustomizations.filter((f) => /^images:/m.test(readFileSync(f, 'utf8')));
    expect(withImages.map((f) => relative(deployDir, f))).toEqual(['base/kustomization.yaml']);
  });
});

describe('deploy/namespaced: one watched namespace, no cluster-wide grant', () => {
  it('replaces the ClusterRole by a Role in the namespace the operator watches', () => {
    const docs = objects(namespaced);
    expect(docs.filter((d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')).toEqual([]);
    const container = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
    const watched = container.env.find((e: any) => e.name === 'WATCH_NAMESPACE')?.value;
    expect(watched).toBe('delegations');
    const role = docs.find((d) => d.kind === 'Role' && d.metadata.name === 'ram-delegation-operator');
    const binding = docs.find(
      (d) => d.kind === 'RoleBinding' && d.metadata.name === 'ram-delegation-operator',
    );
    expect(role.metadata.namespace).toBe(watched);
    expect(binding.metadata.namespace).toBe(watched);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ram-delegation-operator', namespace: 'ram-delegation-system' },
    ]);
    // The same rules as the cluster-wide install, only namespaced.
    const clusterRole = objects(rendered).find((d) => d.kind === 'ClusterRole');
    expect(role.rules).toEqual(clusterRole.rules);
    // Everything else is the base's.
    const rest = (yaml: string) =>
      kindsOf(yaml).filter((k) => !/^(Cluster)?Role(Binding)?\/ram-delegation-operator$/.test(k));
    expect(rest(namespaced).sort()).toEqual(rest(rendered).sort());
  });

  it('passes kubectl apply --dry-run=server once the watched namespace exists', async () => {
    for (const name of ['ram-delegation-system', 'delegations']) {
      const namespace = `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
      expect((await kubectl(['apply', '-f', '-'], namespace)).code).toBe(0);
    }
    const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], namespaced);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /role.rbac.authorization.k8s.io\/ram-delegation-operator created \(server dry run\)/,
    );
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
