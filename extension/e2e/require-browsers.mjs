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
  // Firefox plays Web Audio only through a sound server: real-daws-firefox.e2e.ts starts PulseAudio with a null sink.
  { pkg: 'pulseaudio', paths: ['/usr/bin/pulseaudio'] },
];
// The oldest browsers the suite was verified on: older Debian builds fail some tests (Firefox ESR 140's popup under
// WebDriver BiDi, for one), and a machine whose package lists were stale when they were installed may still have them.
const VERIFIED_MAJOR = { chromium: 156, 'firefox-esr': 153 };
const installedMajor = (pkg) => {
  try {
    return Number.parseInt(
      execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
      10,
    );
  } catch {
    return undefined;
  }
};
const missing = wanted.filter((w) => !w.paths.some(existsSync)).map((w) => w.pkg);
const outdated = Object.entries(VERIFIED_MAJOR)
  .map(([pkg, major]) => ({ pkg, major, have: installedMajor(pkg) }))
  .filter(({ pkg, major, have }) => have !== undefined && have < major && !missing.includes(pkg));
if (missing.length === 0 && outdated.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
const aptInstall = (pkgs) => {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};

if (missing.length > 0) {
  if (!canInstall) {
    console.error(
      `The browser tests need ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} for the browser tests (apt-get)…`);
  try {
    aptInstall(missing);
  } catch {
    console.error(
      `Could not install ${missing.join(' ')}. Run: apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
}

// An older browser still runs the tests, most of them: upgrading is attempted, and a failure only warned about.
if (outdated.length > 0) {
  const names = outdated.map((o) => o.pkg);
  const what = outdated.map((o) => `${o.pkg} ${o.have} (verified on ${o.major})`).join(', ');
  let upgraded = false;
  if (canInstall) {
    console.log(`Upgrading ${what} for the browser tests (apt-get)…`);
    try {
      aptInstall(names);
      upgraded = true;
    } catch {
      // no package mirror reachable (a network namespace, an offline machine): go on with what is installed
    }
  }
  if (!upgraded)
    console.warn(
      `Warning: ${what}. Some browser tests may fail; upgrade with: apt-get update && apt-get install -y ${names.join(' ')}`,
    );
}
