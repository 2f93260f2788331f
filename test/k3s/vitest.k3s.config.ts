import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources, as in the root vitest.config.ts. */
const conditions = ['source', 'module', 'node', 'development|production'];

/**
 * Only for `npm run test:k3s` (scripts/test-k3s.sh); the default `npm test` never picks up *.k3s.ts.
 * Building the image and starting k3s take minutes on a cold machine, hence the long hook timeout.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/k3s/**/*.k3s.ts'],
    testTimeout: 180_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
