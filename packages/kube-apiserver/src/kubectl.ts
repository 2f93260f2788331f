/** Runs the real kubectl binary against a test server (its own discovery cache per server). */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], stdin?: string): Promise<KubectlResult>;
  /** Starts kubectl and returns the child with a promise of its result (for `wait`, `delete`). */
  start(args: string[]): { child: ChildProcess; done: Promise<KubectlResult> };
}

/**
 * kubectl with a server's kubeconfig (a running server, or any object naming a kubeconfig file), or
 * another one (e.g. a ServiceAccount's token).
 */
export function kubectlFor(server: { kubeconfigPath: string }, kubeconfigPath?: string): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const base = ['--kubeconfig', kubeconfigPath ?? server.kubeconfigPath, '--cache-dir', cacheDir];
  const start = (args: string[], stdin?: string) => {
    let child!: ChildProcess;
    const done = new Promise<KubectlResult>((resolve) => {
      child = execFile(
        'kubectl',
        [...base, ...args],
        { timeout: 60_000, env: { ...process.env, HOME: cacheDir } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    });
    return { child, done };
  };
  const run = ((args: string[], stdin?: string) => start(args, stdin).done) as Kubectl;
  run.start = (args) => start(args);
  return run;
}
