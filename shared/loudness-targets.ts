/**
 * Published loudness targets: integrated loudness the platform normalises to, and the true-peak ceiling it asks for.
 * Streaming services normalise (turn down) louder masters; broadcast standards require the figure.
 */
export const LOUDNESS_TARGETS = {
  spotify: { label: 'Spotify', integrated_lufs: -14, true_peak_dbtp: -1, tolerance_lu: 1 },
  apple_music: { label: 'Apple Music', integrated_lufs: -16, true_peak_dbtp: -1, tolerance_lu: 1 },
  youtube: { label: 'YouTube', integrated_lufs: -14, true_peak_dbtp: -1, tolerance_lu: 1 },
  tidal: { label: 'Tidal', integrated_lufs: -14, true_peak_dbtp: -1, tolerance_lu: 1 },
  amazon: { label: 'Amazon Music', integrated_lufs: -14, true_peak_dbtp: -2, tolerance_lu: 1 },
  soundcloud: { label: 'SoundCloud', integrated_lufs: -14, true_peak_dbtp: -1, tolerance_lu: 2 },
  ebu_r128: { label: 'EBU R128 broadcast', integrated_lufs: -23, true_peak_dbtp: -1, tolerance_lu: 0.5 },
  atsc_a85: { label: 'ATSC A/85 broadcast', integrated_lufs: -24, true_peak_dbtp: -2, tolerance_lu: 2 },
  club: { label: 'Club / DJ master', integrated_lufs: -8, true_peak_dbtp: -0.3, tolerance_lu: 2 },
} as const;

export type LoudnessTargetName = keyof typeof LOUDNESS_TARGETS;
export const LOUDNESS_TARGET_NAMES = Object.keys(LOUDNESS_TARGETS) as LoudnessTargetName[];

const ALIASES: [RegExp, LoudnessTargetName][] = [
  [/\bspotify\b/, 'spotify'],
  [/\bapple( music)?\b|\bitunes\b/, 'apple_music'],
  [/\byou ?tube\b/, 'youtube'],
  [/\btidal\b/, 'tidal'],
  [/\bamazon\b/, 'amazon'],
  [/\bsound ?cloud\b/, 'soundcloud'],
  [/\bebu\b|\br128\b|\bbroadcast\b/, 'ebu_r128'],
  [/\batsc\b|\ba\/?85\b/, 'atsc_a85'],
  [/\bclub\b|\bdj\b/, 'club'],
];

/** The target a message names ("too loud for Spotify?"), if any. */
export function targetNamedIn(text: string): LoudnessTargetName | undefined {
  const lower = text.toLowerCase();
  return ALIASES.find(([re]) => re.test(lower))?.[1];
}
