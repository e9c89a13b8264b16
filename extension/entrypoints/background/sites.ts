import { browser } from 'wxt/browser';
import { loadSettings } from '../../lib/settings';
import { storageAreaStore } from '../../lib/storage';

const SCRIPT_ID = 'codette-user-sites';
const AUDIO_SCRIPT_ID = 'codette-user-sites-audio';

/** Origins to match patterns: "https://studio.example.com" -> "https://studio.example.com/*". */
export function toMatchPattern(site: string): string | null {
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(site.trim());
  return m ? `${m[1]}://${m[2]}/*` : null;
}

/** Registers the content scripts on the sites the user added (and granted) in the options. */
export async function syncSiteScripts(): Promise<void> {
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return;
  const settings = await loadSettings(storageAreaStore(browser.storage.local));
  const wanted = settings.sites.map(toMatchPattern).filter((p): p is string => p !== null);
  const granted: string[] = [];
  for (const p of wanted) if (await browser.permissions.contains({ origins: [p] }).catch(() => false)) granted.push(p);
  await scripting.unregisterContentScripts({ ids: [SCRIPT_ID, AUDIO_SCRIPT_ID] }).catch(() => undefined);
  if (!granted.length) return;
  await scripting
    .registerContentScripts([
      {
        id: AUDIO_SCRIPT_ID,
        matches: granted,
        js: ['content-scripts/daw-audio.js'],
        runAt: 'document_start',
        world: 'MAIN',
        persistAcrossSessions: true,
      },
      {
        id: SCRIPT_ID,
        matches: granted,
        js: ['content-scripts/daw.js'],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      },
    ])
    .catch(() => undefined);
}
