import type { Plugin, SessionTrack } from '../../shared/schemas/analysis';

/** Roles read from a track's name (or its `role`), for rules that care what a track holds. */
const ROLE_PATTERNS: [string, RegExp][] = [
  ['kick', /\b(kick|bd|bass ?drum|kik)\b/],
  ['snare', /\b(snare|sd|snr|clap|rim)\b/],
  ['hats', /\b(hi ?hats?|hh|hat|cymbals?|ride|crash|shaker|tamb\w*|perc\w*|tops?)\b/],
  ['drums', /\b(drums?|drum ?bus|kit|loop|beat|breaks?|toms?|overheads?|oh|room)\b/],
  ['sub', /\b(sub|808)\b/],
  ['bass', /\b(bass|bassline|reese)\b/],
  ['vocal', /\b(vox|vocals?|voc|lead ?vocal|bvs?|backing|choir|adlibs?|harmon(y|ies)|rap|verse vox)\b/],
  ['guitar', /\b(gtrs?|guitars?|acoustic|electric)\b/],
  ['keys', /\b(keys|piano|rhodes|organ|wurli\w*|epiano|ep)\b/],
  ['pad', /\b(pads?|strings?|str|atmos\w*|ambien\w*|drone|texture)\b/],
  ['lead', /\b(lead|synth|arp\w*|pluck|hook|melody|stab)\b/],
  ['fx', /\b(fx|sfx|riser|sweep|impact|whoosh|noise|reverse)\b/],
];

export function roleOf(track: SessionTrack): string | undefined {
  const text = `${track.role ?? ''} ${track.name}`.toLowerCase().replace(/[_\-.]+/g, ' ');
  return ROLE_PATTERNS.find(([, re]) => re.test(text))?.[0];
}

/** Roles whose energy sits below ~120 Hz: they belong in the centre. */
export const LOW_END_ROLES = new Set(['kick', 'sub', 'bass']);

/** A DAW's default name ("Audio 3", "Track 12", "MIDI 1", "Inst 4") or none at all. */
export function isUnnamed(track: SessionTrack): boolean {
  const name = track.name.trim();
  return (
    name === '' ||
    /^(audio|track|midi|inst(rument)?|software instrument|aux|bus|channel|ch|untitled|new track|sampler|group)\s*[-#]?\s*\d*$/i.test(
      name,
    )
  );
}

/** Tracks that carry audio to the mix: not buses/aux/VCA/folders. */
export function isSourceTrack(track: SessionTrack): boolean {
  return !['aux', 'bus', 'group', 'return', 'vca', 'folder'].includes(track.type);
}

export function isBusTrack(track: SessionTrack): boolean {
  return ['aux', 'bus', 'group', 'return'].includes(track.type);
}

/** Tracks heard in the mix: unmuted, and when anything is soloed only the soloed ones. */
export function audibleTracks(tracks: readonly SessionTrack[]): SessionTrack[] {
  const anySolo = tracks.some((t) => t.solo);
  return tracks.filter((t) => !t.mute && (!anySolo || t.solo));
}

export function activePlugins(track: SessionTrack): Plugin[] {
  return track.plugins.filter((p) => typeof p === 'string' || !p.bypassed);
}

export const label = (track: SessionTrack, index: number) =>
  track.name.trim() ? `"${track.name.trim()}"` : `track ${index + 1} (unnamed)`;

/** Max minus min, with the tracks at both ends. */
export function spread<T>(
  items: readonly T[],
  value: (t: T) => number | undefined,
): { lo: T; hi: T; loV: number; hiV: number; spread: number } | undefined {
  let lo: T | undefined;
  let hi: T | undefined;
  let loV = Infinity;
  let hiV = -Infinity;
  for (const it of items) {
    const v = value(it);
    if (v === undefined) continue;
    if (v < loV) [lo, loV] = [it, v];
    if (v > hiV) [hi, hiV] = [it, v];
  }
  if (lo === undefined || hi === undefined) return undefined;
  return { lo, hi, loV, hiV, spread: hiV - loV };
}
