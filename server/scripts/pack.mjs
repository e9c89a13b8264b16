// Makes the installable package: .output/codette/ (the `codette` command, the knowledge data, the built extension
// folders) and its tarball .output/codette-<version>.tgz, for `npm install -g` or `npx`.
// The repository itself stays private: its package.json carries the build and test tools, this one only what runs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, '.output/codette');
const started = Date.now();
const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Package names a bundle leaves to node_modules (its bare imports), from esbuild's metafile. */
function externalPackages(metafile) {
  const names = new Set();
  for (const input of Object.values(metafile.inputs)) {
    for (const imp of input.imports) {
      if (!imp.external || imp.path.startsWith('node:') || imp.path.startsWith('.')) continue;
      const parts = imp.path.split('/');
      names.add(imp.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return names;
}

// 1. The server, one ESM file, as `npm start` runs it; packages stay in node_modules (installed as dependencies).
const server = await build({
  entryPoints: [join(root, 'server/cli.ts')],
  outfile: join(out, 'dist/codette.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

// 2. The analysis worker runs from TypeScript through tsx (server/analysis/analyse-file.ts): ship the files it imports.
const worker = await build({
  entryPoints: [join(root, 'server/analysis/worker.ts')],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
});
for (const file of Object.keys(worker.metafile.inputs)) {
  const abs = resolve(root, file);
  mkdirSync(dirname(join(out, relative(root, abs))), { recursive: true });
  cpSync(abs, join(out, relative(root, abs)));
}

// 3. Data read at run time, relative to the package root (server/paths.ts finds it by its package.json).
for (const path of [
  'server/engine/knowledge/data',
  'server/engine/knowledge/synonyms-engineering.json',
  'server/engine/knowledge/synonyms-music.json',
  'server/analysis/data',
  'extension/e2e/fixtures/labelled.html',
  'README.md',
]) {
  cpSync(join(root, path), join(out, path), { recursive: true });
}

// 4. The built extension, for "Load unpacked" (and the browser host, which allows the id of this folder).
execFileSync(process.execPath, [join(root, 'extension/scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
for (const browser of ['chrome-mv3', 'firefox-mv3'])
  cpSync(join(root, '.output', browser), join(out, 'extension', browser), { recursive: true });

// 5. package.json: what the server imports, at the repository's exact versions; tsx for the worker.
const needed = new Set([...externalPackages(server.metafile), ...externalPackages(worker.metafile), 'tsx']);
const dependencies = {};
for (const name of [...needed].sort()) {
  const version = repo.dependencies[name];
  if (!version) throw new Error(`the server imports ${name}, which is not in the repository's dependencies`);
  dependencies[name] = version;
}
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify(
    {
      name: 'codette',
      version: repo.version,
      description: repo.description,
      type: 'module',
      bin: { codette: 'dist/codette.mjs' },
      engines: repo.engines,
      dependencies,
      // better-sqlite3 builds its native module at install; esbuild (under tsx) checks its binary.
      allowScripts: { 'better-sqlite3': true, esbuild: true },
    },
    null,
    2,
  ) + '\n',
);

// 6. The tarball.
const tgz = execFileSync('npm', ['pack', '--pack-destination', join(root, '.output'), '--silent'], {
  cwd: out,
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .pop();
const tarball = join(root, '.output', tgz);
if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
console.log(
  `package built in ${Date.now() - started} ms -> ${relative(process.cwd(), tarball)} (dependencies: ${Object.keys(dependencies).join(', ')})`,
);
