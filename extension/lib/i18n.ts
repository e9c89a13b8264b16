import { browser } from 'wxt/browser';

/** The browser's i18n (messages.json in public/_locales); the key itself when a message is missing (tests). */
export function t(key: string, ...subs: (string | number)[]): string {
  try {
    const msg = browser.i18n.getMessage(key as Parameters<typeof browser.i18n.getMessage>[0], subs.map(String));
    if (msg) return msg;
  } catch {
    /* no i18n in this context */
  }
  return subs.length ? `${key}(${subs.join(',')})` : key;
}

/** The browser's UI language ("fr", "en-US"); "en" where the i18n API is missing (tests). */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}
