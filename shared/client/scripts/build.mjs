// Builds @codette/client into shared/client/dist (gitignored):
//   dist/esm/     one ES module per source file with its .d.ts (Node 20 and bundlers; tree-shakeable, zod left external)
//   dist/browser/codette-client.js   one ES module with zod inside, for a page to import directly
// The client's version must be the server's (package.json at the root): the build stops when they differ.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const here = resolve(import.meta.dirname, '..');
const root = resolve(here, '../..');
const dist = join(here, 'dist');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const serverVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const clientVersion = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;
if (serverVersion !== clientVersion) {
  console.error(
    `@codette/client is ${clientVersion} but the server is ${serverVersion}: set "version" in shared/client/package.json to ${serverVersion}.`,
  );
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

/** Node's ES modules need full relative paths: `./outbox` becomes `./outbox.js`, `../api` `../api/index.js`. */
function withExtension(fromFile, specifier) {
  const target = resolve(dirname(fromFile), specifier);
  if (existsSync(`${target}.js`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(`${fromFile}: cannot resolve ${specifier}`);
}

function rewrite(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) {
      rewrite(file);
      continue;
    }
    if (!name.endsWith('.js') && !name.endsWith('.d.ts')) continue;
    const code = readFileSync(file, 'utf8').replace(
      /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
      (_, lead, quote, spec) => `${lead}${quote}${withExtension(file, spec)}${quote}`,
    );
    writeFileSync(file, code);
  }
}
rewrite(join(dist, 'esm'));

await build({
  entryPoints: [join(here, 'index.ts')],
  outfile: join(dist, 'browser/codette-client.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'inline',
  banner: { js: `// @codette/client ${clientVersion} (browser build, zod included)` },
  logLevel: 'warning',
});

if (!quiet) console.log(`@codette/client ${clientVersion} built in ${Date.now() - started} ms: ${dist}`);
