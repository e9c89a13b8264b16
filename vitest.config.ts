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
