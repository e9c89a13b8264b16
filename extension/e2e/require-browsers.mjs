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
// The oldest browsers the suite was verified on: older Debian builds fail some tests (Firefox ESR 140's popup under
// WebDriver BiDi, for one), and a machine whose package lists were stale when they were installed may still have them.
const VERIFIED_MAJOR = { chromium: 156, 'firefox-esr': 153 };
const installedMajor = (pkg) => {
  try {
    return Number.parseInt(execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
  } catch {
    return undefined;
  }
};
const missing = wanted.filter((w) => !w.paths.some(existsSync)).map((w) => w.pkg);
for (const [pkg, major] of Object.entries(VERIFIED_MAJOR)) {
  const have = installedMajor(pkg);
  if (have !== undefined && have < major && !missing.includes(pkg)) {
    console.log(`${pkg} ${have} is older than the ${major} the browser tests were verified on: upgrading it.`);
    missing.push(pkg);
  }
}
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
