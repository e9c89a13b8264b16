// Bundles the server's TypeScript into one ESM file for `npm start`: plain Node then runs it, without a
// TypeScript loader in memory (tsx adds about 40 MB to the idle server). Packages stay in node_modules.
import { build } from 'esbuild';

const started = Date.now();
await build({
  entryPoints: ['server/cli.ts'],
  outfile: '.output/server/cli.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
if (!process.argv.includes('--quiet'))
  console.log(`server built in ${Date.now() - started} ms -> .output/server/cli.mjs`);
