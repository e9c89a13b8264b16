import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { INTEGRATION } from './server/test/test-projects';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'supabase/**/*.test.ts'],
          // Pure unit tests hold no global state between files: one module graph per worker, not one per file.
          isolate: false,
          exclude: ['server/scripts/test/**', '**/node_modules/**', ...INTEGRATION],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          // PGlite's first database and a server per file take long on a busy machine: 30 s timed out there.
          hookTimeout: 120_000,
          exclude: ['**/node_modules/**'],
        },
      },
      {
        // The packed tarball installed with npm install -g and run: minutes (a native module is compiled).
        extends: true,
        test: {
          name: 'package',
          include: ['server/scripts/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        // The browser extension: WXT's fakeBrowser, Vue single-file components, a happy-dom document.
        extends: true,
        plugins: [WxtVitest(), vue()],
        test: {
          name: 'extension',
          include: ['extension/**/*.test.ts'],
          exclude: ['extension/e2e/**', '**/node_modules/**'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
