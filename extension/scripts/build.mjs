#!/usr/bin/env node
// Makes sure a current build of the extension exists (Chrome and Firefox), then prints the folders to load.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const sources = ['extension', 'shared', 'wxt.config.ts', 'package.json'].map((p) => join(root, p));
const skip = new Set(['node_modules', 'e2e', 'test', '__tests__', '.output']);

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) if (!skip.has(name)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const targets = [
  { name: 'chrome-mv3', args: ['build'] },
  { name: 'firefox-mv3', args: ['build', '-b', 'firefox', '--mv3'] },
];
// --quiet (npm start, the package build): WXT's output only on failure, and one line only when something was built.
const quiet = process.argv.includes('--quiet');
const srcTime = Math.max(...sources.map(newest));
let built = 0;
for (const t of targets) {
  const manifest = join(root, '.output', t.name, 'manifest.json');
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= srcTime && !process.argv.includes('--force')) continue;
  const wxt = [join(root, 'node_modules/wxt/bin/wxt.mjs'), ...t.args];
  if (!quiet) execFileSync(process.execPath, wxt, { cwd: root, stdio: 'inherit' });
  else {
    try {
      execFileSync(process.execPath, wxt, { cwd: root, stdio: 'pipe' });
    } catch (error) {
      process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
      process.exit(1);
    }
  }
  built += 1;
}
const chrome = relative(process.cwd(), join(root, '.output/chrome-mv3')) || '.';
const firefox = relative(process.cwd(), join(root, '.output/firefox-mv3')) || '.';
if (quiet) {
  if (built)
    console.log(`Extension built: load ${chrome} (Chrome, Chromium, Edge) or ${firefox}/manifest.json (Firefox).`);
  process.exit(0);
}
console.log(`
Codette's extension is built.
  Chrome/Chromium/Edge: open chrome://extensions, turn on "Developer mode", "Load unpacked", choose ${chrome}
  Firefox:              open about:debugging#/runtime/this-firefox, "Load Temporary Add-on...", choose ${firefox}/manifest.json
Then start the server (npm start) and open the side panel from the toolbar button.`);
