import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: real Chromium / Firefox ESR, the built extension, the real server. One file at a time. */
export default defineConfig({
  test: {
    include: ['extension/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
