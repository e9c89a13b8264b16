import { BUILTIN_PROFILES } from './builtin';
import type { KeyAction } from './profile-names';
import type { SiteProfile, StateRule } from './profile-schema';

export type { SiteProfile, StateRule };

/** Site profiles: per origin, where the transport controls are, how their state shows, and which keys drive them. */

export type { ControlName, KeyAction, StateName } from './profile-names';

/**
 * Keys are sent only with evidence of what they do on this site: a built-in or user profile, or a key the user was seen
 * to press there just before the DAW started or stopped (learned). There are no default keys: the same Space that plays
 * one app arms recording in another (BassoonTracker).
 */
export type LearnedKeys = Partial<Record<KeyAction, string>>;

export function keyFor(
  action: KeyAction,
  profile: SiteProfile | undefined,
  learned: LearnedKeys = {},
): string | undefined {
  // Recording is never learned: a key is only ever pressed to arm it where a profile says so.
  return profile?.keys?.[action] ?? (action === 'record' ? undefined : learned[action]);
}

/** "Space", "Enter", "Shift+R" from a keydown, or null for keys not worth learning (arrows, typing with modifiers). */
export function keySpecOf(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>,
): string | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const base =
    e.key === ' '
      ? 'Space'
      : e.key === 'Enter'
        ? 'Enter'
        : /^[a-z0-9]$/i.test(e.key)
          ? e.key.toLowerCase()
          : e.key === 'Home'
            ? 'Home'
            : e.key === '.'
              ? 'Period'
              : null;
  if (!base) return null;
  return e.shiftKey && base.length === 1 ? `Shift+${base.toUpperCase()}` : base;
}

export { BUILTIN_PROFILES };

export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*') +
      '$',
  );
  return re.test(origin);
}

/**
 * The user's profile wins over a built-in one for the same origin. A built-in profile may instead name the app by its
 * page title (a self-hosted copy of an app runs on any origin).
 */
export function profileFor(
  origin: string,
  user: SiteProfile[],
  builtin: SiteProfile[] = BUILTIN_PROFILES,
  title = '',
): SiteProfile | undefined {
  const byTitle = (p: SiteProfile) => !!p.title && title.toLowerCase().includes(p.title.toLowerCase());
  return (
    user.find((p) => originMatches(p.match, origin)) ??
    builtin.find((p) => originMatches(p.match, origin) || byTitle(p))
  );
}

export interface ParsedKey {
  key: string;
  code: string;
  keyCode: number;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export function parseKey(spec: string): ParsedKey {
  const parts = spec.split('+').map((p) => p.trim());
  const last = parts.pop() ?? '';
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  let key = last;
  let code: string;
  let keyCode: number;
  const lower = last.toLowerCase();
  if (lower === 'space' || last === ' ') {
    key = ' ';
    code = 'Space';
    keyCode = 32;
  } else if (lower === 'enter' || lower === 'return') {
    key = 'Enter';
    code = 'Enter';
    keyCode = 13;
  } else if (lower === 'period' || last === '.') {
    key = '.';
    code = 'Period';
    keyCode = 190;
  } else if (lower === 'home') {
    key = 'Home';
    code = 'Home';
    keyCode = 36;
  } else if (/^[a-z0-9]$/i.test(last)) {
    key = mods.has('shift') ? last.toUpperCase() : last.toLowerCase();
    code = /\d/.test(last) ? `Digit${last}` : `Key${last.toUpperCase()}`;
    keyCode = last.toUpperCase().charCodeAt(0);
  } else {
    code = last;
    keyCode = 0;
  }
  return {
    key,
    code,
    keyCode,
    shiftKey: mods.has('shift'),
    ctrlKey: mods.has('ctrl'),
    altKey: mods.has('alt'),
    metaKey: mods.has('meta'),
  };
}
