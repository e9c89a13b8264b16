import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { freePort, launchChromium, ROOT, ServerProcess, sleep, type ChromeSession, until } from './harness';

/**
 * Real Chromium with .output/chrome-mv3: the markdown of chat replies sanitised in a real DOM, the options page driving
 * the background (server URL and token), and the French locale. The server asks a local "LLM" (an OpenAI-compatible
 * stand-in below) whose answer is hostile markdown, so that the reply reaches the panel the way a real one would.
 */

/** A hostile answer, streamed in pieces; one tag is split across two deltas. */
const HOSTILE = [
  'Master near **-14 LUFS** integrated. ',
  '<img src=x onerr',
  'or="window.__pwned=\'img\'">',
  '<script>window.__pwned="script"</script>',
  " [a js link](javascript:window.__pwned='mdlink') ",
  '<a href="javascript:window.__pwned=\'anchor\'">raw js anchor</a> ',
  '<a href=" JaVaScRiPt:window.__pwned=\'spaced\'">spaced js anchor</a>\n\n',
  '<p onclick="window.__pwned=\'click\'" onmouseover="window.__pwned=\'hover\'">hover me</p>\n\n',
  '<svg onload="window.__pwned=\'svg\'"><circle r="1"/></svg>',
  '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  '<details open ontoggle="window.__pwned=\'toggle\'"><summary>more</summary>x</details>\n\n',
  '<form action="javascript:window.__pwned=\'form\'"><button>go</button></form>',
  '<div style="background:url(javascript:window.__pwned=\'css\')">styled</div>\n\n',
  '[a safe link](https://example.com/loudness)\n',
];
const FORBIDDEN_TAGS = ['IMG', 'SCRIPT', 'IFRAME', 'SVG', 'FORM', 'OBJECT', 'EMBED', 'STYLE'];

/** What a rendered subtree keeps that could run code: forbidden tags, on* attributes, javascript: URLs, inline styles. */
function dangerIn(root: Element, forbiddenTags: string[]): string[] {
  const found: string[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (forbiddenTags.includes(el.tagName.toUpperCase())) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name)) found.push(`${el.tagName.toLowerCase()} ${a.name}`);
      if (a.name === 'style') found.push(`${el.tagName.toLowerCase()} style`);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*javascript:/i.test(a.value))
        found.push(`${el.tagName.toLowerCase()} ${a.name}=${a.value}`);
    }
  }
  return found;
}

let llm: Server;
let server: ServerProcess;
let session: ChromeSession;
const TOKEN = 'e2e-token-0123456789';

async function startLlmStandIn(): Promise<string> {
  llm = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const content of HOSTILE) {
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
        await sleep(15);
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(llm.address() as { port: number }).port}/v1`;
}

const setField = (page: Page, selector: string, value: string) =>
  page.$eval(
    selector,
    (el, v) => {
      const input = el as HTMLInputElement;
      input.value = v;
      input.dispatchEvent(new Event('input'));
    },
    value,
  );
const storedSettings = (page: Page) =>
  page.evaluate(async () => {
    const c = (
      globalThis as unknown as {
        chrome: {
          storage: { local: { get(k: string): Promise<Record<string, { serverUrl: string; token?: string }>> } };
        };
      }
    ).chrome;
    return (await c.storage.local.get('codette.settings.v1'))['codette.settings.v1'] ?? null;
  });
const bannerProblem = (panel: Page) =>
  panel.$eval('[data-testid=problem]', (el) => el.textContent ?? '').catch(() => null);
const connected = async (panel: Page) => (await panel.$('[data-testid=banner]')) === null;

beforeAll(async () => {
  const llmUrl = await startLlmStandIn();
  server = new ServerProcess(await freePort(), {
    CODETTE_TOKEN: TOKEN,
    CODETTE_LLM_URL: llmUrl,
    CODETTE_LLM_TIMEOUT_MS: '10000',
  });
  await server.start();
  session = await launchChromium();
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await new Promise<void>((r) => (llm ? llm.close(() => r()) : r()));
});

describe('Chromium: the options page drives the background', () => {
  it('saves the server URL and token; a missing token or a dead URL shows the actionable error, the right ones reconnect', async () => {
    const panel = await session.openExtensionPage('sidepanel.html');
    const options = await session.openExtensionPage('options.html');
    try {
      await options.waitForSelector('[data-testid=server-url]');
      const save = async (url: string, token: string) => {
        await setField(options, '[data-testid=server-url]', url);
        await setField(options, '[data-testid=token]', token);
        await options.bringToFront();
        await options.click('[data-testid=save]');
        await until(
          async () => {
            const s = await storedSettings(options);
            return s?.serverUrl === url && (s.token ?? '') === token;
          },
          5_000,
          `the settings ${url} to be stored`,
        );
      };

      // The right server, no token: the server answers 401 and the panel says where to put the token.
      await save(server.url, '');
      await until(
        async () => (await bannerProblem(panel)) === " — The server needs its token: set it in Codette's options",
        15_000,
        'the unauthorized hint',
      );
      expect(await panel.$eval('[data-testid=banner]', (el) => el.getAttribute('data-phase'))).toBe('offline');

      // The token: connected, no banner.
      await save(server.url, TOKEN);
      await until(() => connected(panel), 15_000, 'the panel to connect with the token');
      expect((await storedSettings(options))?.token).toBe(TOKEN);

      // A URL where nothing listens: "not running: start it with npm start".
      const dead = `http://127.0.0.1:${await freePort()}`;
      await save(dead, TOKEN);
      await until(
        async () => (await bannerProblem(panel))?.includes('start it with npm start') ?? false,
        15_000,
        'the server-down hint',
      );

      // Back to the right one: reconnects at once (the background listens to storage changes).
      const t0 = Date.now();
      await save(server.url, TOKEN);
      await until(() => connected(panel), 15_000, 'the panel to reconnect');
      console.log(`[measure] options saved -> panel connected: ${Date.now() - t0} ms`);

      // An invalid URL is refused by the page and not stored.
      await setField(options, '[data-testid=server-url]', 'not a url');
      await options.$eval('form', (f) => (f as HTMLFormElement).requestSubmit());
      await sleep(200);
      expect((await storedSettings(options))?.serverUrl).toBe(server.url);
    } finally {
      await options.close();
      await panel.close();
    }
  });
});

describe('Chromium: chat markdown is sanitised in a real DOM', () => {
  it('a hostile LLM reply streams into the panel without any script, handler, javascript: URL or image surviving', async () => {
    const panel = await session.openExtensionPage('sidepanel.html');
    try {
      await panel.evaluate(
        async (url, token) => {
          const c = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } })
            .chrome;
          await c.storage.local.set({ 'codette.settings.v1': { serverUrl: url, token, sites: [], profiles: [] } });
        },
        server.url,
        TOKEN,
      );
      await until(() => connected(panel), 20_000, 'the panel to connect');
      await panel.evaluate(
        (forbidden, dangerSrc) => {
          // Not evidence here: the extension's CSP reports script-src-attr violations already when DOMPurify parses the
          // hostile HTML in its inert document. What counts is what reaches the live DOM, checked below.
          const w = window as unknown as { __dangerSeen: string[] };
          w.__dangerSeen = [];
          const danger = new Function(`return (${dangerSrc})`)() as (root: Element, tags: string[]) => string[];
          // Every intermediate render of the streamed reply, not just the final one.
          new MutationObserver(() => {
            for (const el of Array.from(document.querySelectorAll('[data-testid=streaming], .md')))
              w.__dangerSeen.push(...danger(el, forbidden));
          }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        },
        FORBIDDEN_TAGS,
        dangerIn.toString(),
      );

      await setField(panel, '[data-testid=input]', 'How loud should I master for streaming?');
      await panel.bringToFront();
      await panel.click('[data-testid=send]');
      await panel.waitForSelector('li[data-role=assistant] .md', { timeout: 20_000 });
      const md = await panel.$('li[data-role=assistant] .md');
      expect(md).not.toBeNull();

      // Interact with everything, the way a user would hover and click.
      await panel.$$eval('li[data-role=assistant] .md *', (els) => {
        for (const el of els) {
          el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          if (el.tagName !== 'A') (el as HTMLElement).click();
        }
      });
      await sleep(300);
      const result = await panel.$eval(
        'li[data-role=assistant] .md',
        (el, forbidden, dangerSrc) => {
          const danger = new Function(`return (${dangerSrc})`)() as (root: Element, tags: string[]) => string[];
          const w = window as unknown as { __pwned?: string; __dangerSeen: string[] };
          const links = Array.from(el.querySelectorAll('a')).map((a) => ({
            text: a.textContent,
            href: a.getAttribute('href'),
            target: a.getAttribute('target'),
            rel: a.getAttribute('rel'),
          }));
          return {
            html: el.innerHTML,
            strong: el.querySelector('strong')?.textContent ?? null,
            danger: danger(el, forbidden),
            seen: w.__dangerSeen,
            pwned: w.__pwned ?? null,
            links,
          };
        },
        FORBIDDEN_TAGS,
        dangerIn.toString(),
      );
      expect(result.strong).toBe('-14 LUFS');
      expect(result.danger).toEqual([]);
      expect(result.seen).toEqual([]);
      expect(result.pwned).toBeNull();
      expect(result.html).toContain('hover me');
      expect(result.links.find((l) => l.href === 'https://example.com/loudness')).toEqual({
        text: 'a safe link',
        href: 'https://example.com/loudness',
        target: '_blank',
        rel: 'noopener noreferrer',
      });
      for (const l of result.links) expect(l.href ?? '').not.toMatch(/javascript:/i);
    } finally {
      await panel.close();
    }
  });

  it("the extension's renderMarkdown, bundled into a page without any CSP, neutralises what marked alone lets run", async () => {
    const bundle = await build({
      stdin: {
        contents: "export { renderMarkdown } from './extension/lib/markdown'; export { marked } from 'marked';",
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'CodetteMarkdown',
      platform: 'browser',
      absWorkingDir: ROOT,
      nodePaths: [join(ROOT, 'node_modules')],
    });
    const page = await session.browser.newPage();
    try {
      await page.setContent('<!doctype html><div id="raw"></div><div id="safe"></div>');
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const text = HOSTILE.join('');
      // Control: marked's own HTML in the same page does run code, so the payloads are live here.
      const control = await page.evaluate(async (md) => {
        const w = window as unknown as {
          __pwned?: string;
          CodetteMarkdown: { marked: { parse(s: string, o: object): string } };
        };
        document.getElementById('raw')!.innerHTML = w.CodetteMarkdown.marked.parse(md, { async: false });
        await new Promise((r) => setTimeout(r, 300));
        const pwned = w.__pwned ?? null;
        document.getElementById('raw')!.innerHTML = '';
        delete w.__pwned;
        return pwned;
      }, text);
      expect(control).not.toBeNull();

      const result = await page.evaluate(
        async (md, forbidden, dangerSrc) => {
          const danger = new Function(`return (${dangerSrc})`)() as (root: Element, tags: string[]) => string[];
          const w = window as unknown as { __pwned?: string; CodetteMarkdown: { renderMarkdown(s: string): string } };
          const safe = document.getElementById('safe')!;
          // Whole, and each streamed prefix (what the panel shows while the reply arrives).
          const found: string[] = [];
          for (let i = 1; i <= md.length; i += 7) {
            safe.innerHTML = w.CodetteMarkdown.renderMarkdown(md.slice(0, i));
            found.push(...danger(safe, forbidden));
          }
          safe.innerHTML = w.CodetteMarkdown.renderMarkdown(md);
          for (const el of Array.from(safe.querySelectorAll('*'))) {
            el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
            if (el.tagName !== 'A') (el as HTMLElement).click();
          }
          await new Promise((r) => setTimeout(r, 300));
          return {
            found: [...found, ...danger(safe, forbidden)],
            pwned: w.__pwned ?? null,
            text: safe.textContent ?? '',
          };
        },
        text,
        FORBIDDEN_TAGS,
        dangerIn.toString(),
      );
      expect(result.pwned).toBeNull();
      expect(result.found).toEqual([]);
      expect(result.text).toContain('-14 LUFS');
      expect(result.text).toContain('a safe link');
    } finally {
      await page.close();
    }
  });
});

describe('Chromium in French (--lang=fr, LANGUAGE=fr)', () => {
  it('the panel and the options render in French, including the offline hint', async () => {
    const fr = await launchChromium({ args: ['--lang=fr'], env: { LANGUAGE: 'fr', LANG: 'fr_FR.UTF-8' } });
    try {
      const panel = await fr.openExtensionPage('sidepanel.html');
      expect(
        await panel.evaluate(() =>
          (globalThis as unknown as { chrome: { i18n: { getUILanguage(): string } } }).chrome.i18n.getUILanguage(),
        ),
      ).toMatch(/^fr/);
      // Nothing listens there: the panel says so, in French.
      await panel.evaluate(
        async (url) => {
          const c = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } })
            .chrome;
          await c.storage.local.set({ 'codette.settings.v1': { serverUrl: url, sites: [], profiles: [] } });
        },
        `http://127.0.0.1:${await freePort()}`,
      );
      await until(
        async () =>
          (await bannerProblem(panel))?.includes('Le serveur de Codette ne tourne pas : lancez-le avec npm start') ??
          false,
        15_000,
        'the French offline hint',
      );
      const texts = await panel.evaluate(() => ({
        phase: document.querySelector('[data-testid=banner] strong')?.textContent,
        retry: document.querySelector('[data-testid=retry]')?.textContent,
        send: document.querySelector('[data-testid=send]')?.getAttribute('aria-label'),
        placeholder: document.querySelector('[data-testid=input]')?.getAttribute('placeholder'),
        newChat: document.querySelector('[data-testid=new-chat]')?.textContent,
      }));
      expect(texts).toEqual({
        phase: 'Hors ligne',
        retry: 'Réessayer',
        send: 'Envoyer',
        placeholder: 'Question en anglais, ou « tempo 128 »…',
        newChat: 'Nouvelle discussion',
      });
      const options = await fr.openExtensionPage('options.html');
      await options.waitForSelector('[data-testid=server-url]');
      expect(await options.$eval('label', (el) => el.textContent)).toContain('Adresse du serveur');
    } finally {
      await fr.browser.close().catch(() => undefined);
    }
  });
});
