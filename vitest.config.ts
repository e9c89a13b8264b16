import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

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
          exclude: ['server/scripts/test/**', '**/node_modules/**'],
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
