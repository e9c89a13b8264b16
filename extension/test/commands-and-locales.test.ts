import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

/**
 * The manifests' keyboard commands (both browsers, as wxt.config.ts generates them) against the shortcuts Chrome and
 * Firefox keep for themselves, and the locales against what the manifests and pages ask of them.
 */
type Browser = 'chrome' | 'firefox';
interface Command {
  suggested_key?: { default?: string };
  description?: string;
}
interface Manifest {
  name?: string;
  description?: string;
  commands?: Record<string, Command>;
}

const EXTENSION = resolve(import.meta.dirname, '..');

function manifestFor(browser: Browser): Manifest {
  const make = config.manifest as unknown as (env: {
    browser: Browser;
    manifestVersion: 3;
    mode: string;
    command: string;
  }) => Manifest;
  return make({ browser, manifestVersion: 3, mode: 'production', command: 'build' });
}

/** "Shift+Alt+p" -> "Alt+Shift+P": modifiers in one order, the key upper-cased. */
function normalise(shortcut: string): string {
  const parts = shortcut.split('+').map((p) => p.trim());
  const key = parts.pop()!.toUpperCase();
  const order = ['Ctrl', 'Alt', 'Shift', 'MacCtrl', 'Command'];
  const mods = parts
    .map((m) => order.find((o) => o.toLowerCase() === m.toLowerCase()) ?? m)
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return [...mods, key].join('+');
}

const range = (prefix: string, keys: string) => keys.split('').map((k) => `${prefix}+${k}`);

/**
 * Chrome's own shortcuts on Windows and Linux (Chrome Help, "Chrome keyboard shortcuts"), and those Chromium 156 on
 * Linux refused to assign as an extension's suggested key (measured: chrome.commands.getAll() left them empty).
 */
const CHROME_RESERVED = [
  'Ctrl+N',
  'Ctrl+Shift+N',
  'Ctrl+T',
  'Ctrl+Shift+T',
  'Ctrl+Tab',
  'Ctrl+Shift+Tab',
  'Ctrl+PageDown',
  'Ctrl+PageUp',
  ...range('Ctrl', '123456789'),
  'Alt+Home',
  'Alt+Left',
  'Alt+Right',
  'Ctrl+W',
  'Ctrl+F4',
  'Ctrl+Shift+W',
  'Alt+Space',
  'Alt+F4',
  'Ctrl+Shift+Q',
  'Alt+F',
  'Alt+E',
  'Ctrl+Shift+B',
  'Ctrl+Shift+O',
  'Ctrl+H',
  'Ctrl+J',
  'Alt+Shift+T',
  'Ctrl+Shift+J',
  'Ctrl+Shift+I',
  'Ctrl+Shift+C',
  'Ctrl+Shift+Delete',
  'Ctrl+Shift+M',
  'Alt+Shift+I',
  'Alt+Shift+A',
  'Ctrl+Shift+A',
  'Ctrl+P',
  'Ctrl+S',
  'Ctrl+R',
  'Ctrl+Shift+R',
  'Ctrl+O',
  'Ctrl+U',
  'Ctrl+D',
  'Ctrl+Shift+D',
  'Ctrl+Plus',
  'Ctrl+Minus',
  'Ctrl+0',
  'Ctrl+F',
  'Ctrl+G',
  'Ctrl+Shift+G',
  'Ctrl+E',
  'Ctrl+K',
  'Alt+D',
  'Ctrl+L',
  'Ctrl+Shift+L',
  'Ctrl+Shift+S',
  'Ctrl+Shift+V',
  'Ctrl+Shift+Z',
  'Ctrl+A',
  'Ctrl+C',
  'Ctrl+V',
  'Ctrl+X',
  'Ctrl+Z',
  'Ctrl+Y',
  'Ctrl+B',
  'Ctrl+I',
  'Alt+Shift+B',
  ...range('Alt+Shift', 'ABCNPRTWXZ'),
];

/** Firefox's own shortcuts on Windows and Linux (support.mozilla.org, "Keyboard shortcuts"), devtools included. */
const FIREFOX_RESERVED = [
  'Ctrl+T',
  'Ctrl+Shift+T',
  'Ctrl+W',
  'Ctrl+Shift+W',
  'Ctrl+N',
  'Ctrl+Shift+N',
  'Ctrl+Shift+P',
  'Ctrl+Tab',
  'Ctrl+Shift+Tab',
  'Ctrl+PageUp',
  'Ctrl+PageDown',
  ...range('Alt', '123456789'),
  ...range('Ctrl', '123456789'),
  'Ctrl+L',
  'Alt+D',
  'Ctrl+K',
  'Ctrl+E',
  'Ctrl+J',
  'Ctrl+F',
  'Ctrl+G',
  'Ctrl+Shift+G',
  'Ctrl+B',
  'Ctrl+H',
  'Ctrl+Shift+H',
  'Ctrl+Shift+O',
  'Ctrl+Shift+B',
  'Ctrl+D',
  'Ctrl+Shift+D',
  'Ctrl+Shift+Y',
  'Ctrl+Shift+A',
  'Ctrl+Shift+I',
  'Ctrl+Shift+K',
  'Ctrl+Shift+C',
  'Ctrl+Shift+E',
  'Ctrl+Shift+M',
  'Ctrl+Shift+S',
  'Ctrl+Shift+Z',
  'Ctrl+Shift+Delete',
  'Ctrl+Shift+R',
  'Ctrl+Alt+R',
  'Ctrl+Shift+X',
  'Ctrl+I',
  'Ctrl+U',
  'Ctrl+P',
  'Ctrl+S',
  'Ctrl+O',
  'Ctrl+M',
  'Ctrl+Q',
  'Ctrl+Shift+Q',
  'Alt+Home',
  'Alt+Left',
  'Alt+Right',
  'Ctrl+Alt+Z',
  'Ctrl+Shift+J',
  'Ctrl+Shift+F',
  'Ctrl+R',
  'Ctrl+Plus',
  'Ctrl+Minus',
  'Ctrl+0',
  'Ctrl+A',
  'Ctrl+C',
  'Ctrl+V',
  'Ctrl+X',
  'Ctrl+Z',
  'Ctrl+Y',
  'Alt+F',
  'Alt+E',
  'Alt+V',
  'Alt+S',
  'Alt+B',
  'Alt+T',
  'Alt+H',
].concat(['Shift+F7', 'Shift+F5', 'Shift+F2']);

/**
 * The access keys of Firefox's menu bar (File, Edit, View, History, Bookmarks, Tools, Help), from the `.accesskey` of
 * browser/menubar.ftl in Firefox ESR 153 and its language packs. On Windows and Linux the hidden menu bar still takes
 * Alt+<key> and Alt+Shift+<key> before any extension: an extension's Alt+Shift+S is listed as assigned by
 * commands.getAll() but opens the History menu and never fires (measured with xdotool on headful Firefox ESR 153,
 * en-US: Alt+Shift+B E F H S T V never fired, all other letters did; fr: A E F H M N O; de: A B C D H L X).
 */
const FIREFOX_MENU_ACCESS_KEYS: Record<string, string> = {
  'en-US': 'FEVSBTH',
  ja: 'FEVSBTH',
  'zh-CN': 'FEVSBTH',
  fr: 'FNAHMOE',
  de: 'DBACLXH',
  'es-ES': 'AEVSMTU',
  it: 'FMVCESA',
  nl: 'BWLGAXH',
  pl: 'PEWHZNC',
  'pt-BR': 'AEXHVFU',
};
const FIREFOX_MENU_KEYS = [...new Set(Object.values(FIREFOX_MENU_ACCESS_KEYS).join(''))].join('');

/** What both browsers accept for suggested_key: Ctrl or Alt (not both: AltGr), an optional Shift, then one key. */
const VALID =
  /^(Ctrl|Alt)(\+Shift)?\+([A-Z0-9]|F([1-9]|1[0-2])|Comma|Period|Home|End|PageUp|PageDown|Space|Insert|Delete|Up|Down|Left|Right)$/;

describe.each(['chrome', 'firefox'] as const)('%s manifest commands', (browser) => {
  const commands = manifestFor(browser).commands ?? {};
  const reserved = new Set(
    (browser === 'chrome'
      ? CHROME_RESERVED
      : [...FIREFOX_RESERVED, ...range('Alt', FIREFOX_MENU_KEYS), ...range('Alt+Shift', FIREFOX_MENU_KEYS)]
    ).map(normalise),
  );
  const openPanel = browser === 'chrome' ? 'open-panel' : '_execute_sidebar_action';

  it('declares the three commands (open the panel, play/pause, stop), each with a shortcut and a localised description', () => {
    expect(Object.keys(commands).sort()).toEqual([openPanel, 'play-pause', 'stop'].sort());
    for (const c of Object.values(commands)) {
      expect(c.suggested_key?.default).toBeTruthy();
      expect(c.description).toMatch(/^__MSG_\w+__$/);
    }
  });

  it("uses valid shortcuts that are all different and none of the browser's own", () => {
    const keys = Object.values(commands).map((c) => normalise(c.suggested_key!.default!));
    for (const k of keys) expect(k).toMatch(VALID);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => reserved.has(k))).toEqual([]);
    // Chrome allows at most four suggested shortcuts per extension.
    expect(keys.length).toBeLessThanOrEqual(4);
  });
});

it('both browsers use the same key for each action (one list of shortcuts to document)', () => {
  const keys = (browser: Browser) => {
    const c = manifestFor(browser).commands ?? {};
    const open = c[browser === 'chrome' ? 'open-panel' : '_execute_sidebar_action'];
    return [open, c['play-pause'], c.stop].map((x) => normalise(x?.suggested_key?.default ?? ''));
  };
  expect(keys('firefox')).toEqual(keys('chrome'));
});

describe('locales', () => {
  const load = (lang: string) =>
    JSON.parse(readFileSync(join(EXTENSION, 'public/_locales', lang, 'messages.json'), 'utf8')) as Record<
      string,
      { message: string; placeholders?: Record<string, unknown> }
    >;
  const en = load('en');
  const fr = load('fr');

  it('French has every English message, with the same placeholders, and translates the visible ones', () => {
    expect(Object.keys(en).filter((k) => !(k in fr))).toEqual([]);
    expect(Object.keys(fr).filter((k) => !(k in en))).toEqual([]);
    for (const k of Object.keys(en))
      expect(Object.keys(fr[k]!.placeholders ?? {}).sort(), k).toEqual(Object.keys(en[k]!.placeholders ?? {}).sort());
    // Nothing left in English: a message may read the same in French only if it is a name, a unit or a word French
    // shares with English, listed here.
    const SAME_IN_FRENCH = [
      'extName',
      'pause',
      'stop',
      'tempo',
      'position',
      'transport',
      'perspective',
      'sources',
      'version',
      'options',
      'catCompression',
      'catArrangement',
      'momentaryShort',
      'integratedShort',
    ];
    expect(Object.keys(en).filter((k) => en[k]!.message === fr[k]!.message && !SAME_IN_FRENCH.includes(k))).toEqual([]);
  });

  it('every __MSG_…__ of both manifests and every t("…") key of the pages exists', () => {
    const wanted = new Set<string>();
    for (const b of ['chrome', 'firefox'] as const)
      for (const m of JSON.stringify(manifestFor(b)).matchAll(/__MSG_(\w+)__/g)) wanted.add(m[1]!);
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) return ['test', 'e2e', 'public', 'node_modules'].includes(name) ? [] : walk(p);
        return /\.(vue|ts)$/.test(name) ? [p] : [];
      });
    for (const file of walk(EXTENSION)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'(\w+)'/g)) wanted.add(m[1]!);
      // Keys chosen through a table (problem codes, categories, perspectives, phases): t(KEYS[code]).
      for (const m of source.matchAll(/:\s*'((?:problem|cat|persp|phase)[A-Z]\w*)'/g)) wanted.add(m[1]!);
    }
    expect(wanted.size).toBeGreaterThan(20);
    expect([...wanted].filter((k) => !(k in en))).toEqual([]);
  });
});
