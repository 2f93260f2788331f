/**
 * The operator ships alone: its npm package, its production dependencies and its image's `dist/` hold
 * nothing of the stand-ins (the emulator, the API server, the sandbox live under packages/).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  workspaces: string[];
  files: string[];
};

describe('the operator package', () => {
  it('declares the stand-ins as workspaces and brings them in as devDependencies only', () => {
    expect(manifest.workspaces).toEqual([
      'packages/alicloud-emulator',
      'packages/kube-apiserver',
      'packages/sandbox',
    ]);
    for (const name of ['alicloud-emulator', 'kube-apiserver', 'sandbox']) {
      expect(manifest.devDependencies).toHaveProperty(`@ram-delegation/${name}`);
      expect(manifest.dependencies).not.toHaveProperty(`@ram-delegation/${name}`);
    }
  });

  it('has none of the stand-ins’ production dependencies', () => {
    for (const name of ['@bufbuild/cel', 'selfsigned', '@alicloud/eventbridge']) {
      expect(manifest.dependencies).not.toHaveProperty(name);
    }
  });

  it('packs only dist/ and crds/, and no file of a stand-in', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];
    const paths = packed[0]!.files.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths.filter((p) => !/^(dist\/|crds\/|package\.json$|README\.md$|LICENSE$)/.test(p))).toEqual([]);
    expect(paths.filter((p) => /emulator|kube-apiserver|sandbox|packages\//.test(p))).toEqual([]);
  });

  it('compiles src/ alone into dist/ (the image copies dist/)', () => {
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
      compilerOptions: { rootDir: string };
    };
    expect(build.include).toEqual(['src']);
    expect(build.compilerOptions.rootDir).toBe('src');
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).not.toMatch(/COPY\s+packages/);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8').split('\n')).toContain('packages');
  });
});
