import { BUILTIN_PROFILES } from '../../content/builtin';
import type { KeyValueStore } from '../../lib/storage';

/**
 * Which sites Codette acts on. The content script runs on every local port and on the known DAW sites, but what it
 * sees is reported, and commands reach it, only on origins the user enabled (asked in the panel on the first visit).
 * Pre-trusted: the built-in DAW sites (public https apps the extension was made for, listed in the options) and the
 * sites the user added in the options. Never pre-trusted: localhost and 127.0.0.1, where any program can serve a page.
 */
export const SITE_PERMISSIONS_KEY = 'codette.site-permissions.v1';

export type SiteDecision = 'enabled' | 'blocked' | 'ask';

const PRE_TRUSTED = new Set(BUILTIN_PROFILES.map((p) => p.match).filter((m) => /^https:\/\/[^*]+$/.test(m)));

export class SitePermissions {
  #decisions: Record<string, 'enabled' | 'blocked'> = {};
  #userSites = new Set<string>();

  constructor(private readonly store: KeyValueStore) {}

  async load(userSites: string[] = []): Promise<void> {
    const raw = await this.store.get(SITE_PERMISSIONS_KEY);
    this.#decisions = {};
    if (raw && typeof raw === 'object') {
      for (const [origin, v] of Object.entries(raw as Record<string, unknown>))
        if (v === 'enabled' || v === 'blocked') this.#decisions[origin] = v;
    }
    this.#userSites = new Set(userSites.map((s) => s.trim().replace(/\/$/, '')));
  }

  decision(origin: string): SiteDecision {
    const own = this.#decisions[origin];
    if (own) return own;
    return PRE_TRUSTED.has(origin) || this.#userSites.has(origin) ? 'enabled' : 'ask';
  }

  async set(origin: string, allow: boolean): Promise<void> {
    if (!/^https?:\/\/[^/]+$/.test(origin)) return;
    this.#decisions = { ...this.#decisions, [origin]: allow ? 'enabled' : 'blocked' };
    await this.store.set(SITE_PERMISSIONS_KEY, this.#decisions);
  }

  get decisions(): Record<string, 'enabled' | 'blocked'> {
    return { ...this.#decisions };
  }
}

/** The origin the browser says a message came from (never the page's own claim). */
export function senderOrigin(sender: { origin?: string; url?: string; tab?: { url?: string } }): string | null {
  if (sender.origin && sender.origin !== 'null') return sender.origin;
  const url = sender.url ?? sender.tab?.url;
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
