import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { ROOT } from './harness';

/** What the browser tests check of a view's look: accessibility (axe-core), layout facts, and a screenshot to look at. */

export const SCREENSHOTS = join(ROOT, 'extension/e2e/screenshots');
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export type Theme = 'light' | 'dark';

export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMediaFeatures([
    { name: 'prefers-color-scheme', value: theme },
    { name: 'prefers-reduced-motion', value: 'reduce' },
  ]);
}

/** Serious and critical axe-core violations of the page as it is now, as "rule: target (summary)" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Runtime.evaluate is not subject to the extension pages' CSP, which refuses an injected <script>.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{
            violations: {
              id: string;
              impact: string | null;
              nodes: { target: unknown[]; failureSummary?: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map(
        (n) => `${JSON.stringify(n.target)} ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}`,
      ),
    }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n}`));
}

export interface LayoutFacts {
  /** The document is wider than the window (a horizontal scrollbar). */
  overflowX: number;
  /** Pairs of visible text runs drawn over each other. */
  overlaps: string[];
  /** Visible buttons, fields and summaries smaller than 32 x 32 CSS px, as "label WxH". */
  smallTargets: string[];
}

/** Measures the layout: horizontal overflow, and text of one element drawn over text of another. */
export function layoutFacts(page: Page): Promise<LayoutFacts> {
  return page.evaluate(() => {
    const runs: { el: Element; r: DOMRect; text: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('.sr-only, option, title, script, style')) continue;
      // Not drawn: display none, hidden, transparent, or the content of a closed <details>.
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      // What shows of the run: its box cut by every scrolling or clipping ancestor (text scrolled out of view is not drawn).
      const clips: DOMRect[] = [];
      for (let a: Element | null = el; a; a = a.parentElement) {
        const o = getComputedStyle(a);
        if (o.overflowX !== 'visible' || o.overflowY !== 'visible') clips.push(a.getBoundingClientRect());
      }
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const box of Array.from(range.getClientRects())) {
        let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
        for (const c of clips)
          [left, top, right, bottom] = [
            Math.max(left, c.left),
            Math.max(top, c.top),
            Math.min(right, c.right),
            Math.min(bottom, c.bottom),
          ];
        if (right - left > 1 && bottom - top > 1)
          runs.push({ el, r: new DOMRect(left, top, right - left, bottom - top), text: text.slice(0, 30) });
      }
    }
    const overlaps: string[] = [];
    for (let i = 0; i < runs.length; i++) {
      for (let j = i + 1; j < runs.length; j++) {
        const a = runs[i]!;
        const b = runs[j]!;
        if (a.el === b.el) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 2 && h > 2) overlaps.push(`"${a.text}" over "${b.text}"`);
      }
    }
    const smallTargets = Array.from(document.querySelectorAll('button, select, input, textarea, summary'))
      .filter((el) => el.checkVisibility() && !el.closest('.sr-only'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 31.5 || r.height < 31.5)
      .map(
        ({ el, r }) =>
          `${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 20) ?? el.tagName} ${Math.round(r.width)}x${Math.round(r.height)}`,
      );
    return { overflowX: document.documentElement.scrollWidth - window.innerWidth, overlaps, smallTargets };
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) as `${string}.png` });
}
