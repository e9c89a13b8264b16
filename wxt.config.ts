import { build as esbuild } from 'esbuild';
import { defineConfig } from 'wxt';

/**
 * Codette's browser extension: one codebase for Chrome (MV3, side panel) and Firefox (MV3, sidebar).
 * The sources live under extension/; builds go to .output/<browser>-mv3 (npm run build).
 */
export default defineConfig({
  srcDir: 'extension',
  entrypointsDir: 'entrypoints',
  publicDir: 'extension/public',
  outDir: '.output',
  modules: ['@wxt-dev/module-vue', '@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  hooks: {
    'prepare:publicPaths': (_wxt, paths) => {
      paths.push('meter-worklet.js');
    },
    // The live meters' AudioWorklet module: one self-contained file (a worklet cannot import the extension's chunks).
    'build:publicAssets': async (wxt, files) => {
      const out = await esbuild({
        entryPoints: [`${wxt.config.srcDir}/entrypoints/offscreen/meter-processor.ts`],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        minify: wxt.config.mode === 'production',
        legalComments: 'none',
      });
      files.push({ relativeDest: 'meter-worklet.js', contents: out.outputFiles[0]!.text });
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: the outbox and settings; alarms: wake the background to reconnect; tabs: follow the active DAW tab;
    // scripting: register the content scripts on sites the user adds; nativeMessaging: "Start Codette" through the
    // host that `codette install-browser-host` registers.
    // Chrome only, for the live meters: tabCapture (the DAW tab's sound) and offscreen (where it is measured).
    permissions: [
      'storage',
      'alarms',
      'tabs',
      'scripting',
      'nativeMessaging',
      ...(browser === 'firefox' ? [] : ['tabCapture', 'offscreen']),
    ],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: '__MSG_extName__' },
    // Chrome silently leaves a suggested key unassigned when it is one of its own accelerators: Chromium 156 (Linux)
    // keeps Alt+Shift+A B C N P R T W X Z. Firefox lists every key as assigned, but on Windows and Linux its (hidden)
    // menu bar takes Alt+Shift+<access key> first, and those depend on Firefox's language: en-US B E F H S T V (Alt+Shift+S
    // opened History), fr A E F H M N O (Alt+Shift+O opened Outils), de A B C D H L X. J, K and Y are free in both
    // browsers and in these languages. The keys are pressed in real browsers: extension/e2e/shortcuts*.e2e.ts.
    commands:
      browser === 'firefox'
        ? {
            _execute_sidebar_action: { suggested_key: { default: 'Alt+Shift+Y' }, description: '__MSG_cmdOpenPanel__' },
            'play-pause': { suggested_key: { default: 'Alt+Shift+K' }, description: '__MSG_cmdPlayPause__' },
            stop: { suggested_key: { default: 'Alt+Shift+J' }, description: '__MSG_cmdStop__' },
          }
        : {
            'open-panel': { suggested_key: { default: 'Alt+Shift+Y' }, description: '__MSG_cmdOpenPanel__' },
            'play-pause': { suggested_key: { default: 'Alt+Shift+K' }, description: '__MSG_cmdPlayPause__' },
            stop: { suggested_key: { default: 'Alt+Shift+J' }, description: '__MSG_cmdStop__' },
          },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'codette@codette.local',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
          // Firefox's default MV3 policy adds upgrade-insecure-requests, which turns ws://127.0.0.1 into wss:// (close 1015,
          // a TLS failure) although fetch to the same loopback address works: the same policy without it.
          content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
        }
      : { minimum_chrome_version: '116' }),
  }),
});
