import { z } from 'zod';
import { DEFAULT_SERVER_URL } from '../../shared/constants';
import { SiteProfiles } from '../content/profile-schema';
import type { KeyValueStore } from './storage';

import { SETTINGS_KEY } from './settings-key';

export { SETTINGS_KEY };

export const Settings = z.object({
  serverUrl: z.string().url().default(DEFAULT_SERVER_URL),
  token: z.string().max(500).optional(),
  /** Origins (or patterns such as https://*.example.com) where the content script may run, beyond the built-in ones. */
  sites: z.array(z.string().max(200)).max(100).default([]),
  profiles: SiteProfiles.default([]),
  supabase: z.object({ url: z.string().url(), anonKey: z.string().min(20) }).optional(),
});
export type Settings = z.infer<typeof Settings>;

export function parseSettings(raw: unknown): Settings {
  const parsed = Settings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : Settings.parse({});
}

export async function loadSettings(store: KeyValueStore): Promise<Settings> {
  return parseSettings(await store.get(SETTINGS_KEY));
}

/** The payload of a JWT, or null. Used to refuse a Supabase service-role key in the options. */
export function jwtRole(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { role?: unknown };
    return typeof json.role === 'string' ? json.role : null;
  } catch {
    return null;
  }
}

/** Supabase's new-style secret keys start with sb_secret_; the JWT kind carries role service_role. */
export function isServiceRoleKey(key: string): boolean {
  return key.startsWith('sb_secret_') || jwtRole(key) === 'service_role';
}
