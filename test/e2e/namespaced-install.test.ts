/**
 * Issue 13: the namespaced install (deploy/namespaced) works with only the permissions it grants. The
 * sandbox installs it (watching the sandbox's namespace instead of the placeholder), and the operator
 * runs as its ServiceAccount with `--watch-namespace`: the seed scenario reaches Ready and is revoked,
 * while a delegation in another namespace is never touched, and the ServiceAccount can read no Secret
 * outside the watched namespace.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor } from '@ram-delegation/kube-apiserver';
import {
  operatorPaths,
  spawnOperator,
  startSandboxEnvironment,
  type OperatorProcess,
  type SandboxEnvironment,
} from '@ram-delegation/sandbox';
import {
  applySeedUntilReady,
  deleteAndTimeRefusal,
  exampleManifest,
  getJson,
  kube,
  managedEntities,
  type ScenarioContext,
} from './delegation-scenario.js';
import { canIWith, DELEGATIONS, serviceAccountUser } from './operator-identity.js';

let env: SandboxEnvironment;
let ctx: ScenarioContext;
let operator: OperatorProcess;

/**
 * An overlay of deploy/namespaced that watches `namespace`: the variant's one setting (the
 * WATCH_NAMESPACE value), and the same replacements that carry it to the Role and its binding.
 */
function namespacedOverlay(namespace: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ram-delegation-namespaced-')), 'overlay');
  mkdirSync(dir);
  const variant = relative(dir, join(operatorPaths.deploy, 'namespaced'));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [variant],
    patches: [
      {
        target: { kind: 'Deployment', name: 'ram-delegation-operator' },
        patch: JSON.stringify([
          { op: 'test', path: '/spec/template/spec/containers/0/env/3/name', value: 'WATCH_NAMESPACE' },
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/env/3',
            value: { name: 'WATCH_NAMESPACE', value: namespace },
          },
        ]),
      },
      ...['Role', 'RoleBinding'].map((kind) => ({
        target: { kind, name: 'ram-delegation-operator' },
        patch: JSON.stringify([{ op: 'replace', path: '/metadata/namespace', value: namespace }]),
      })),
    ],
  };
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(kustomization));
  return dir;
}

beforeAll(async () => {
  env = await startSandboxEnvironment({
    stateDir: mkdtempSync(join(tmpdir(), 'ram-delegation-namespaced-state-')),
    deployDir: namespacedOverlay('default'),
  });
  ctx = { kubectl: kubectlFor(env.kubeApiServer), sandbox: env.info };
  operator = spawnOperator({ sandbox: env.info, extraArgs: ['--watch-namespace=default'] });
  await operator.waitForLine(/operator started/);
}, 60_000);
afterAll(async () => {
  await operator?.stop();
  await env?.stop();
});

describe('the namespaced install', () => {
  it('holds no cluster-wide grant: Secrets and delegations only in the watched namespace', async () => {
    const canI = canIWith(ctx.kubectl, serviceAccountUser(env.info.operator.serviceAccount));
    expect(await kube(ctx, ['get', 'clusterrolebindings', '-o', 'name'])).not.toMatch(/ram-delegation/);
    expect(await canI('list', 'secrets', '-n', 'default')).toBe('yes');
    expect(await canI('list', 'secrets', '-A')).toBe('no');
    expect(await canI('get', 'secrets', '-n', 'kube-system')).toBe('no');
    expect(await canI('list', DELEGATIONS, '-A')).toBe('no');
    expect(await canI('patch', DELEGATIONS, '--subresource=status', '-n', 'default')).toBe('yes');
  });

  it('reconciles the watched namespace, leaves the others alone, and revokes', async () => {
    await kube(ctx, ['create', 'namespace', 'elsewhere']);
    const elsewhere = exampleManifest().replace(/namespace: default/g, 'namespace: elsewhere');
    expect(elsewhere).toContain('namespace: elsewhere');
    await kube(ctx, ['apply', '-f', '-'], elsewhere);

    const { credentials } = await applySeedUntilReady(ctx);
    const other = await getJson(ctx, 'cad', '-n', 'elsewhere', 'orders-bus-publisher');
    expect(other.metadata.finalizers ?? []).toEqual([]);
    expect(other.status ?? {}).toEqual({});
    expect(operator.lines.filter((l) => /forbidden/i.test(l))).toEqual([]);

    const { refusedAfterMs, deleteExitCode } = await deleteAndTimeRefusal(ctx, credentials);
    expect(deleteExitCode).toBe(0);
    expect(refusedAfterMs).toBeLessThan(5_000);
    expect(await managedEntities(ctx)).toEqual([]);
  }, 120_000);
});
