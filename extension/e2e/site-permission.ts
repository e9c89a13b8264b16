import type { Page } from 'puppeteer';
import { until } from './harness';

/**
 * Codette acts only on sites the user enabled: the first time a DAW page of a new origin is active, the panel asks
 * ([data-testid=site-request]). These helpers answer as a user would, by clicking in the panel.
 */
export async function allowSiteInPanel(panel: Page, site: string, timeoutMs = 10_000): Promise<void> {
  await until(
    () =>
      panel.$eval('[data-testid=site-request]', (el, s) => el.getAttribute('data-site') === s, site).catch(() => false),
    timeoutMs,
    `the panel to ask about ${site}`,
  );
  await panel.$eval('[data-testid=site-allow]', (el) => (el as HTMLElement).click());
  await until(
    async () => (await panel.$('[data-testid=site-request]')) === null,
    timeoutMs,
    `the request for ${site} to go`,
  );
}

/** Enables the origin of `url` once, from the panel: opens a DAW page there, answers the panel's question, closes it. */
export async function enableSiteOnce(browser: { newPage(): Promise<Page> }, panel: Page, url: string): Promise<void> {
  const daw = await browser.newPage();
  try {
    await daw.goto(url);
    await daw.bringToFront();
    await allowSiteInPanel(panel, new URL(url).origin);
  } finally {
    await daw.close();
  }
}

/**
 * For tests that have no panel open when the DAW loads (keyboard shortcuts, the Firefox sidebar): records the
 * user's "Enable on this site" answer in the storage the panel's button writes, from any extension page.
 */
export async function enableSiteInStorage(extensionPage: Page, origin: string): Promise<void> {
  await extensionPage.evaluate(async (site) => {
    const g = globalThis as unknown as {
      browser?: { storage: { local: StorageLike } };
      chrome?: { storage: { local: StorageLike } };
    };
    type StorageLike = {
      get(k: string): Promise<Record<string, Record<string, string> | undefined>>;
      set(v: object): Promise<void>;
    };
    const local = (g.browser ?? g.chrome)!.storage.local;
    const key = 'codette.site-permissions.v1';
    const current = (await local.get(key))[key] ?? {};
    await local.set({ [key]: { ...current, [site]: 'enabled' } });
  }, origin);
}
