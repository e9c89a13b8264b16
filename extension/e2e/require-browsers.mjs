#!/usr/bin/env node
// The end-to-end tests drive Debian's Chromium and Firefox ESR, and headful Chromium and Firefox on Xvfb whose keys xdotool
// presses (the keyboard commands). Installs them when missing and allowed (root with apt-get), otherwise stops with
// the command that installs them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = [
  { pkg: 'chromium', paths: ['/usr/bin/chromium', '/usr/lib/chromium/chromium'] },
  { pkg: 'firefox-esr', paths: ['/usr/bin/firefox-esr'] },
  // Chromium's UI languages other than en-US (the French locale test).
  { pkg: 'chromium-l10n', paths: ['/usr/lib/chromium/locales/fr.pak'] },
  // An X server without a screen and XTEST key presses (shortcuts.e2e.ts, shortcuts-firefox.e2e.ts).
  { pkg: 'xvfb', paths: ['/usr/bin/Xvfb'] },
  { pkg: 'xdotool', paths: ['/usr/bin/xdotool'] },
];
const missing = wanted.filter((w) => !w.paths.some(existsSync)).map((w) => w.pkg);
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`The browser tests need ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`Installing ${missing.join(', ')} for the browser tests (apt-get)…`);
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} catch {
  console.error(`Could not install ${missing.join(' ')}. Run: apt-get update && apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
