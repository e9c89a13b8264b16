/** 83.25 -> "1:23.2" */
export function formatTime(seconds: number): string {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}:${rest < 10 ? '0' : ''}${rest.toFixed(1)}`;
}

/** Tap tempo: the mean interval of the recent taps (a pause longer than 2 s starts over). */
export function tapTempo(taps: number[], now: number): { taps: number[]; bpm: number | null } {
  const recent = [...taps.filter((t) => now - t < 2000), now].slice(-5);
  if (recent.length < 2) return { taps: recent, bpm: null };
  const intervals = recent.slice(1).map((t, i) => t - recent[i]!);
  const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
  const bpm = Math.round((60_000 / mean) * 10) / 10;
  return { taps: recent, bpm: bpm >= 20 && bpm <= 400 ? bpm : null };
}
