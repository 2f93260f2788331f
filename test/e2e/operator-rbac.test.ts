/**
 * Issue 13 acceptance: the sandbox's operator runs as the ServiceAccount sandbox.json names, with the
 * RBAC deploy/ ships, and that RBAC is minimal: asked with `kubectl auth can-i --as` (impersonation,
 * as an administrator checks a ServiceAccount), everything the operator's calls need is allowed and
 * everything else a controller could be tempted to do is refused. The e2e suites (operator, HA,
 * monitoring, reliability) prove it sufficient by running the operator with that token.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';
import { startSandboxEnvironment, type SandboxEnvironment } from '@ram-delegation/sandbox';
import { canIWith, DELEGATIONS, serviceAccountUser } from './operator-identity.js';

let env: SandboxEnvironment;
let kubectl: Kubectl;
let operatorNamespace: string;
let canI: ReturnType<typeof canIWith>;

beforeAll(async () => {
  env = await startSandboxEnvironment({ stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-rbac-')) });
  kubectl = kubectlFor(env.kubeApiServer);
  operatorNamespace = env.info.operator.serviceAccount.split('/')[0]!;
  canI = canIWith(kubectl, serviceAccountUser(env.info.operator.serviceAccount));
}, 60_000);
afterAll(async () => {
  await env?.stop();
});

/** [verb, resource, scope]: what the operator's code calls (test/unit/deploy/rbac-rules.test.ts). */
const allowed: [string, string, string[]][] = [
  ['list', DELEGATIONS, ['-A']],
  ['watch', DELEGATIONS, ['-A']],
  ['get', DELEGATIONS, ['-n', 'default']],
  ['patch', DELEGATIONS, ['-n', 'default']],
  ['patch', DELEGATIONS, ['--subresource=status', '-n', 'default']],
  ['update', DELEGATIONS, ['--subresource=finalizers', '-n', 'default']],
  ['get', 'secrets', ['-n', 'default']],
  ['list', 'secrets', ['-A']],
  ['watch', 'secrets', ['-A']],
  ['create', 'secrets', ['-n', 'default']],
  ['patch', 'secrets', ['-n', 'default']],
  ['delete', 'secrets', ['-n', 'default']],
  ['create', 'events.events.k8s.io', ['-n', 'default']],
  ['patch', 'events.events.k8s.io', ['-n', 'default']],
];

/** What it must not do: the acceptance's examples, and the verbs the old ClusterRole granted for nothing. */
const refused: [string, string, string[]][] = [
  ['delete', 'namespaces', []],
  ['get', 'configmaps', ['-n', 'default']],
  ['list', 'configmaps', ['-A']],
  ['update', DELEGATIONS, ['-n', 'default']],
  ['create', DELEGATIONS, ['-n', 'default']],
  ['delete', DELEGATIONS, ['-n', 'default']],
  ['get', DELEGATIONS, ['--subresource=status', '-n', 'default']],
  ['update', DELEGATIONS, ['--subresource=status', '-n', 'default']],
  ['update', 'secrets', ['-n', 'default']],
  ['deletecollection', 'secrets', ['-n', 'default']],
  ['create', 'events', ['-n', 'default']],
  ['get', 'pods', ['-n', 'default']],
  ['create', 'serviceaccounts', ['--subresource=token', '-n', 'default']],
  ['escalate', 'clusterroles', []],
  ['bind', 'clusterroles', []],
  ['impersonate', 'users', []],
  ['update', 'customresourcedefinitions', []],
];

describe('the operator’s ServiceAccount in the sandbox', () => {
  it('is the one sandbox.json names, in the namespace deploy/ installs', () => {
    expect(env.info.operator.serviceAccount).toBe('ram-delegation-system/ram-delegation-operator');
  });

  it.each(allowed)('can %s %s %j', async (verb, resource, scope) => {
    expect(await canI(verb, resource, ...scope)).toBe('yes');
  });

  it.each(refused)('cannot %s %s %j', async (verb, resource, scope) => {
    expect(await canI(verb, resource, ...scope)).toBe('no');
  });

  it('holds Leases in its own namespace only, and never patches them', async () => {
    for (const verb of ['get', 'create', 'update'])
      expect(await canI(verb, 'leases.coordination.k8s.io', '-n', operatorNamespace)).toBe('yes');
    expect(await canI('patch', 'leases.coordination.k8s.io', '-n', operatorNamespace)).toBe('no');
    expect(await canI('get', 'leases.coordination.k8s.io', '-n', 'default')).toBe('no');
  });

  it('is refused for real with its own token, not just by can-i', async () => {
    const asOperator = kubectlFor(env.kubeApiServer, env.info.operator.kubeconfig);
    const configmaps = await asOperator(['get', 'configmaps', '-n', 'default']);
    expect(configmaps.code).not.toBe(0);
    expect(configmaps.stderr).toMatch(/Forbidden.*cannot list resource "configmaps"/);
    const namespace = await asOperator(['delete', 'namespace', 'default', '--wait=false']);
    expect(namespace.stderr).toMatch(/Forbidden.*cannot delete resource "namespaces"/);
    expect((await kubectl(['get', 'namespace', 'default'])).code).toBe(0);
  });
});
