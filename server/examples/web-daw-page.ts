import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

const PAGE_DIR = join(PROJECT_ROOT, 'server/examples/web-daw');
const CLIENT_ENTRY = join(PROJECT_ROOT, 'shared/client/index.ts');

export interface ExamplePage {
  html: string;
  /** The page's Content-Security-Policy: its two inline scripts by hash, the client as a data: module, loopback only. */
  csp: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** @codette/client for browsers, as one ES module (zod included), bundled from source once per process. */
async function bundleClient(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

let cached: Promise<ExamplePage> | undefined;

/**
 * The example web DAW as one self-contained document: the client is mapped to a data: module by the page's import
 * map, and app.js is inlined, so that the same bytes work served by Codette or copied to any other origin.
 */
export function webDawPage(): Promise<ExamplePage> {
  cached ??= assemble().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function assemble(): Promise<ExamplePage> {
  const [template, app, client] = await Promise.all([
    readFile(join(PAGE_DIR, 'index.html'), 'utf8'),
    readFile(join(PAGE_DIR, 'app.js'), 'utf8'),
    bundleClient(),
  ]);
  const clientUrl = `data:text/javascript;base64,${Buffer.from(client).toString('base64')}`;
  const importMap = JSON.stringify({ imports: { '@codette/client': clientUrl } });
  // Inline scripts end at the first "</script": the page's own code never needs one, so this only guards.
  const appCode = app.replace(/<\/script/gi, '<\\/script');
  const html = template
    .replace(/<script type="importmap">[\s\S]*?<\/script>/, () => `<script type="importmap">${importMap}</script>`)
    .replace(/<script type="module" src="\.\/app\.js"><\/script>/, () => `<script type="module">${appCode}</script>`);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(importMap)} ${sha256(appCode)} data:`,
    "style-src 'unsafe-inline'",
    "connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:* http://localhost:* ws://localhost:* http://[::1]:* ws://[::1]:*",
  ].join('; ');
  return { html, csp };
}
