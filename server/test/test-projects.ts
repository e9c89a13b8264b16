/** Which test files make the Vitest `integration` project (vitest.config.ts); the others are unit tests. */
/**
 * Tests that need more than the code under test: a Codette server (in this process or another), child processes,
 * PostgreSQL in WebAssembly, the built extension, or long audio. They make the `integration` project; the `server`
 * project keeps the fast inner loop (`npm run test:unit`, with `extension`). Small loopback stand-ins (a JWKS or a
 * model server) are fine in a unit test. A new test file that starts the server belongs in this list
 * (server/test/test-projects.test.ts checks the unit files).
 */
export const INTEGRATION = [
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
  'shared/test/client-socket.test.ts',
  'server/test/contract-routes.test.ts',
  'server/test/contract-socket.test.ts',
  'server/access/test/access-routes.test.ts',
  'server/examples/test/web-daw-page.test.ts',
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
