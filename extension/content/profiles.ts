import { BUILTIN_PROFILES } from './builtin';
import type { SiteProfile, StateRule } from './profile-schema';

export type { SiteProfile, StateRule };

/** Site profiles: per origin, where the transport controls are, how their state shows, and which keys drive them. */

export const CONTROL_NAMES = ['play', 'pause', 'playpause', 'stop', 'record', 'loop', 'metronome', 'tempo'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];
export const KEY_ACTIONS = ['playpause', 'stop', 'record', 'loop', 'metronome'] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];
export const STATE_NAMES = ['playing', 'recording', 'loop', 'metronome'] as const;
export type StateName = (typeof STATE_NAMES)[number];

/** The usual shortcuts of web DAWs, used when no button could be found. */
export const DEFAULT_KEYS: Record<KeyAction, string> = {
  playpause: 'Space',
  stop: 'Enter',
  record: 'r',
  loop: 'l',
  metronome: 'c',
};

export { BUILTIN_PROFILES };

export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
  return re.test(origin);
}

/** The user's profile wins over a built-in one for the same origin. */
export function profileFor(origin: string, user: SiteProfile[], builtin: SiteProfile[] = BUILTIN_PROFILES): SiteProfile | undefined {
  return user.find((p) => originMatches(p.match, origin)) ?? builtin.find((p) => originMatches(p.match, origin));
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
  return { key, code, keyCode, shiftKey: mods.has('shift'), ctrlKey: mods.has('ctrl'), altKey: mods.has('alt'), metaKey: mods.has('meta') };
}
