import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources (`"source"` in their exports), not to `dist/`. */
const conditions = ['source', 'module', 'node', 'development|production'];

/** One project per package: the operator at the root, each stand-in and the sandbox under packages/. */
const project = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, include: [`${dir}test/**/*.test.ts`] },
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of the suite waits on sockets, timers and child processes: two files at once on two cores.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      project('operator', ''),
      project('alicloud-emulator', 'packages/alicloud-emulator/'),
      project('kube-apiserver', 'packages/kube-apiserver/'),
      project('sandbox', 'packages/sandbox/'),
    ],
  },
});
