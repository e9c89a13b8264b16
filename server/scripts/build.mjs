// Bundles the server's TypeScript into one ESM file for `npm start`: plain Node then runs it, without a
// TypeScript loader in memory (tsx adds about 40 MB to the idle server). Packages stay in node_modules.
// Skipped when the bundle is newer than every source (npm test, the CLI tests and npm start each ask for it; a
// rewrite under a server that another test is starting would also be a race). --force rebuilds anyway.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');
const outfile = join(root, '.output/server/cli.mjs');
const quiet = process.argv.includes('--quiet');

/** The newest modification time under `path` (a file or a folder), node_modules left out. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) if (name !== 'node_modules') max = Math.max(max, newest(join(path, name)));
  return max;
}

const sourcesTime = Math.max(
  ...['server', 'shared', 'package.json', 'tsconfig.json'].map((p) => newest(join(root, p))),
);
if (!process.argv.includes('--force') && existsSync(outfile) && statSync(outfile).mtimeMs >= sourcesTime) {
  if (!quiet) console.log('server bundle up to date -> .output/server/cli.mjs');
  process.exit(0);
}

const started = Date.now();
await build({
  entryPoints: [join(root, 'server/cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
});
if (!quiet) console.log(`server built in ${Date.now() - started} ms -> .output/server/cli.mjs`);
