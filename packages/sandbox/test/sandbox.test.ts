/** `npm run sandbox` starts everything, writes its contract files and stops cleanly. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operatorPaths } from '../src/index.js';

describe('npm run sandbox', () => {
  it('prints "sandbox ready", writes kubeconfig and sandbox.json, serves kubectl, and stops on SIGTERM', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
    const child = spawn('npm', ['run', 'sandbox', '--', '--state-dir', stateDir, '--resync-seconds', '5'], {
      cwd: operatorPaths.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('sandbox ready') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toMatch(/^sandbox ready$/m);
    expect(stdout).toContain(`export KUBECONFIG=${join(stateDir, 'kubeconfig')}`);

    const info = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
    expect(Object.keys(info).sort()).toEqual([
      'authorized',
      'emulatorUrl',
      'eventBus',
      'kubeconfig',
      'namespace',
      'operator',
      'owner',
    ]);
    expect(info.owner).toMatchObject({ accountId: '1111111111111111', credentialsSecret: 'enterprise-a' });
    expect(info.authorized).toMatchObject({
      accountId: '2222222222222222',
      credentialsSecret: 'enterprise-b',
    });
    expect(Object.keys(info.owner).sort()).toEqual([
      'accessKeyId',
      'accessKeySecret',
      'accountId',
      'credentialsSecret',
    ]);
    expect(info.eventBus).toEqual({ name: 'orders', region: 'cn-hangzhou', accountId: '1111111111111111' });
    expect(info.namespace).toBe('default');
    expect(info.operator).toEqual({
      serviceAccount: 'ram-delegation-system/ram-delegation-operator',
      kubeconfig: join(stateDir, 'operator-kubeconfig'),
    });

    const { stdout: crds } = await promisify(execFile)('kubectl', [
      '--kubeconfig',
      info.kubeconfig,
      'get',
      'secrets,crd',
      '-o',
      'name',
    ]);
    expect(crds).toContain('secret/enterprise-a');
    expect(crds).toContain('secret/enterprise-b');
    expect(crds).toContain(
      'customresourcedefinition.apiextensions.k8s.io/crossaccountdelegations.ram-delegation.dev',
    );

    // The operator's kubeconfig is its ServiceAccount's, held to the RBAC deploy/ ships. Resolves
    // stdout, or stderr when there is none (kubectl exits 1 for can-i's "no" and for a refusal).
    const asOperator = (...args: string[]) =>
      promisify(execFile)('kubectl', ['--kubeconfig', info.operator.kubeconfig, ...args]).then(
        ({ stdout }) => stdout.trim(),
        (error: { stdout: string; stderr: string }) => error.stdout.trim() || error.stderr.trim(),
      );
    expect(await asOperator('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).toBe(
      'system:serviceaccount:ram-delegation-system:ram-delegation-operator',
    );
    const status = ['crossaccountdelegations', '--subresource=status', '-A'];
    expect(await asOperator('auth', 'can-i', 'patch', ...status)).toBe('yes');
    expect(await asOperator('auth', 'can-i', 'update', ...status)).toBe('no');
    expect(await asOperator('auth', 'can-i', 'delete', 'namespaces')).toBe('no');
    expect(await asOperator('get', 'configmaps', '-n', 'default')).toMatch(/Forbidden/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/sandbox stopped/);
  }, 90_000);
});
