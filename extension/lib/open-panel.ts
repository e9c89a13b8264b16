import { browser } from 'wxt/browser';

interface PanelApis {
  chrome?: { sidePanel?: { open(o: { windowId: number }): Promise<void> } };
  browser?: { sidebarAction?: { open(): Promise<void> } };
}

/** The current window's id, read ahead: opening the panel must happen in the click itself, with no await before it. */
export async function currentWindowId(): Promise<number | null> {
  return (await browser.windows.getCurrent().catch(() => null))?.id ?? null;
}

/** Opens Codette's side panel (Chrome) or sidebar (Firefox). Call it directly in a click handler. */
export function openPanel(windowId: number | null): boolean {
  const g = globalThis as PanelApis;
  if (g.browser?.sidebarAction) {
    void g.browser.sidebarAction.open().catch(() => undefined);
    return true;
  }
  if (g.chrome?.sidePanel && windowId !== null) {
    void g.chrome.sidePanel.open({ windowId }).catch(() => undefined);
    return true;
  }
  return false;
}

/** The page's language for screen readers: the locale whose messages the page shows ("fr", "en"). */
export function setPageLanguage(): void {
  try {
    // Not @@ui_locale: Chromium started with LANGUAGE=fr shows the French messages but still says en_US there.
    document.documentElement.lang = browser.i18n.getMessage('lang') || 'en';
  } catch {
    /* no i18n here */
  }
}
