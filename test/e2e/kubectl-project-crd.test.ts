/**
 * The `ram-delegation kube-apiserver` command as a user runs it, driven by the real kubectl with the
 * project's own CRD and examples.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '@ram-delegation/kube-apiserver';

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess;
let kubectl: Kubectl;
let exited: Promise<number | null>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-cli-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  child = spawn('npm', ['run', 'kube-apiserver', '--', '--port', '0', '--kubeconfig', kubeconfigPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /kube-apiserver listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  kubectl = kubectlFor({ kubeconfigPath });
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
});

function exampleFiles(): string[] {
  return readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(ROOT, 'examples', f));
}

describe('ram-delegation kube-apiserver with the project CRD', () => {
  it('serves the CRD once applied and established', async () => {
    const applied = await kubectl(['apply', '-f', join(ROOT, 'crds')]);
    expect(applied.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/crossaccountdelegations.ram-delegation.dev created',
    );
    const waited = await kubectl([
      'wait',
      '--for',
      'condition=established',
      '--timeout=20s',
      'crd/crossaccountdelegations.ram-delegation.dev',
    ]);
    expect(waited.code).toBe(0);
  });

  it('applies every example, and a second apply changes nothing', async () => {
    for (const file of exampleFiles()) {
      const first = await kubectl(['apply', '-f', file]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/created|configured/);
      const second = await kubectl(['apply', '-f', file]);
      expect(
        second.stdout
          .trim()
          .split('\n')
          .every((line) => line.endsWith(' unchanged')),
        second.stdout,
      ).toBe(true);
    }
    const listed = await kubectl(['get', 'cad', '-A']);
    const header = listed.stdout.split('\n')[0]?.split(/\s{2,}/);
    expect(header).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'REASON',
      'ROLE ARN',
      'OWNER',
      'AUTHORIZED',
      'EXPIRES',
      'AGE',
    ]);
  });

  it('refuses an invalid delegation naming the field, and an immutable change with the CEL message', async () => {
    const file = exampleFiles().find((f) => f.endsWith('minimal.yaml')) ?? exampleFiles()[0] ?? '';
    const doc = parseAllDocuments(readFileSync(file, 'utf8'))
      .map(
        (d) =>
          d.toJS() as { kind?: string; metadata: { name: string }; spec: { owner: { accountId: string } } },
      )
      .find((d) => d.kind === 'CrossAccountDelegation');
    expect(doc).toBeDefined();
    const invalid = structuredClone(doc!);
    invalid.metadata.name = 'invalid-account';
    invalid.spec.owner.accountId = '123';
    const refused = await kubectl(['apply', '-f', '-'], stringify(invalid));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('spec.owner.accountId');
    const moved = structuredClone(doc!);
    moved.spec.owner.accountId = '3333333333333333';
    const immutable = await kubectl(['apply', '-f', '-'], stringify(moved));
    expect(immutable.code).not.toBe(0);
    expect(immutable.stderr).toContain('owner.accountId is immutable');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
