import { defineConfig } from 'vitest/config';

/** Only for `npm run test:k3s` (scripts/test-k3s.sh); the default `npm test` never picks up *.k3s.ts. */
export default defineConfig({
  test: {
    include: ['test/k3s/**/*.k3s.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
