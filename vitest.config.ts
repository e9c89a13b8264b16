import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * Tests that need more than the code under test: a Codette server (in this process or another), child processes,
 * PostgreSQL in WebAssembly, the built extension, or long audio. They make the `integration` project; the `server`
 * project keeps the fast inner loop (`npm run test:unit`, with `extension`). Small loopback stand-ins (a JWKS or a
 * model server) are fine in a unit test. A new test file that starts the server belongs in this list.
 */
const INTEGRATION = [
  'server/test/reliability/**/*.test.ts',
  'server/test/fuzz/**/*.test.ts',
  // The real server, started in the test process (startTestServer).
  'server/test/analysis-ws.test.ts',
  'server/test/chat-blind-style.test.ts',
  'server/test/chat.test.ts',
  'server/test/credentials.test.ts',
  'server/test/edges-round2.test.ts',
  'server/test/history.test.ts',
  'server/test/import.test.ts',
  'server/test/llm-detect.test.ts',
  'server/test/llm.test.ts',
  'server/test/regressions.test.ts',
  'server/test/routes.test.ts',
  'server/test/security.test.ts',
  'server/test/supabase-mode.test.ts',
  'server/test/ws.test.ts',
  'server/analysis/test/**/*.test.ts',
  'shared/test/client.test.ts',
  // Child processes: the CLI, the service, the browser's native host, SIGKILLed and concurrent writers.
  'server/test/cli.test.ts',
  'server/cli/test/browser-host.test.ts',
  'server/cli/test/service.test.ts',
  'server/store/test/sqlite-durability.test.ts',
  'server/store/test/sqlite-failures.test.ts',
  // PostgreSQL (PGlite) with Supabase's roles and row-level security.
  'server/store/test/contract.test.ts',
  'server/store/test/rls.test.ts',
  // The built extension (npm test builds it first).
  'server/test/extension-build-secrets.test.ts',
  // Minutes of synthesised audio through the whole analysis.
  'shared/dsp/test/analyzer.test.ts',
];

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
