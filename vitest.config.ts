import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Marks every process the tests start and fails the run when one is still alive at the end.
    globalSetup: ['tests/support/vitestGlobalSetup.ts'],
    reporters: ['default'],
  },
});
