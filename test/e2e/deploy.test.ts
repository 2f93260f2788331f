/**
 * Issue 7: the kustomize base renders with kubectl's built-in kustomize, and the render passes a
 * server-side dry run against our Kubernetes API server (nothing is created). The Deployment is checked
 * for what production needs: probes, resources, a restricted security context, leader election.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startKubeApiServer, type RunningKubeApiServer } from '@ram-delegation/kube-apiserver';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';

const deployDir = join(import.meta.dirname, '..', '..', 'deploy');
let server: RunningKubeApiServer;
let kubectl: Kubectl;
let rendered: string;

beforeAll(async () => {
  server = await startKubeApiServer({ port: 0 });
  kubectl = kubectlFor(server);
  rendered = (await promisify(execFile)('kubectl', ['kustomize', deployDir])).stdout;
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('deploy/ kustomize base', () => {
  it('renders the CRD, namespace, RBAC, Deployment and Service', () => {
    const kinds = parseAllDocuments(rendered)
      .map((d) => (d.toJS() as { kind: string }).kind)
      .sort();
    expect(kinds).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'Deployment',
      'Namespace',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
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

  it('grants only what the operator uses, and runs it restricted with leader election', () => {
    const docs = parseAllDocuments(rendered).map((d) => d.toJS());
    const clusterRole = docs.find((d) => d.kind === 'ClusterRole');
    const resources = clusterRole.rules.flatMap((r: any) => r.resources).sort();
    expect(resources).toEqual([
      'crossaccountdelegations',
      'crossaccountdelegations/finalizers',
      'crossaccountdelegations/status',
      'events',
      'secrets',
    ]);
    expect(clusterRole.rules.flatMap((r: any) => r.verbs)).not.toContain('*');
    const role = docs.find((d) => d.kind === 'Role');
    expect(role.rules).toEqual([
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'create', 'update', 'patch'],
      },
    ]);
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
});
