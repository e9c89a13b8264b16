/** Studio arithmetic musicians ask for: half/double time, tempo changes in % and semitones, file sizes, bit depth, grid counts. */
import type { CalculationAnswer, Calculator } from './calculation-types';
import { round } from './note-names';

const NUM = '(\\d+(?:\\.\\d+)?)';

/** "half time of 170 bpm" -> 85; "double time of 85" -> 170. */
const halfDoubleTime: Calculator = (lower) => {
  const m = new RegExp(`\\b(half|double)[ -]?(?:time|tempo|speed)(?: of| for| at| from)? ${NUM}(?: ?bpm)?\\b`).exec(
    lower,
  );
  if (!m) return undefined;
  const bpm = Number(m[2]);
  const result = m[1] === 'half' ? bpm / 2 : bpm * 2;
  return {
    kind: 'tempo_ratio',
    answer_markdown: `**${m[1] === 'half' ? 'Half' : 'Double'} time of ${bpm} BPM = ${round(result)} BPM** (the grid stays at ${bpm}; the groove feels like ${round(result)}: ${m[1] === 'half' ? 'snare on beat 3 instead of 2 and 4' : 'snare twice as often'}).`,
    values: { bpm, result: round(result) },
  };
};

/** "percent change from 140 to 150 bpm", "speed up from 120 to 125 bpm: how many semitones". */
const tempoChange: Calculator = (lower) => {
  const m = new RegExp(`\\bfrom ${NUM}(?: ?bpm)? to ${NUM}(?: ?bpm)?`).exec(lower);
  if (!m || !/\bbpm|tempo|speed|percent|%|semitones?|pitch/.test(lower)) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (!(from > 0 && to > 0)) return undefined;
  const percent = ((to - from) / from) * 100;
  const semitones = 12 * Math.log2(to / from);
  const asksPitch = /semitone|pitch|cents|without time ?stretch/.test(lower);
  const head = asksPitch
    ? `**${from} -> ${to} BPM without time-stretching raises the pitch by ${round(semitones)} semitones (${round(semitones * 100, 0)} cents)**: 12 x log2(${to} / ${from}).`
    : `**${from} -> ${to} BPM is a change of ${round(percent)} %** ((${to} - ${from}) / ${from}).`;
  const tail = asksPitch
    ? ` That is a ${round(percent)} % speed change.`
    : ` Played as a sample without time-stretching, that is ${round(semitones)} semitones.`;
  return {
    kind: 'tempo_change',
    answer_markdown: head + tail,
    values: { from, to, percent: round(percent), semitones: round(semitones) },
  };
};

/** "how big is a 3 minute stereo wav at 24 bit 48khz". */
const fileSize: Calculator = (lower) => {
  if (
    !/\b(?:how big|size|mb|megabytes?|gb|file size|how much space)\b/.test(lower) ||
    !/\bwav|aiff|pcm|uncompressed|bit\b/.test(lower)
  )
    return undefined;
  const minutes = /(\d+(?:\.\d+)?) ?(?:min|mins|minutes?)\b/.exec(lower);
  const secondsOnly = /(\d+(?:\.\d+)?) ?(?:s|sec|secs|seconds?)\b/.exec(lower);
  const clock = /\b(\d+):(\d{2})\b/.exec(lower);
  const seconds = clock
    ? Number(clock[1]) * 60 + Number(clock[2])
    : minutes
      ? Number(minutes[1]) * 60
      : secondsOnly
        ? Number(secondsOnly[1])
        : undefined;
  if (seconds === undefined) return undefined;
  const bits = Number(/(16|24|32) ?-?bits?\b/.exec(lower)?.[1] ?? 24);
  const rateText = /(44[.,]1|48|88[.,]2|96|192) ?k(?:hz)?\b/.exec(lower)?.[1];
  const rate = rateText ? Number(rateText.replace(',', '.')) * 1000 : 48000;
  const channels = /\bmono\b/.test(lower) ? 1 : 2;
  const bytes = seconds * rate * (bits / 8) * channels;
  const mb = bytes / 1e6;
  const mib = bytes / 2 ** 20;
  return {
    kind: 'file_size',
    answer_markdown: `**About ${round(mb, 1)} MB (${round(mib, 1)} MiB)**: ${seconds} s x ${rate} samples/s x ${bits / 8} bytes x ${channels} channel${channels > 1 ? 's' : ''} = ${Math.round(bytes).toLocaleString('en-US')} bytes, plus a few bytes of header. A lossy MP3 at 320 kbps would be about ${round((seconds * 320_000) / 8 / 1e6, 1)} MB.`,
    values: { seconds, rate, bits, channels, megabytes: round(mb, 1) },
  };
};

/** "dynamic range of 16 bit vs 24 bit": about 6.02 dB per bit. */
const bitDepthRange: Calculator = (lower) => {
  const depths = [...lower.matchAll(/\b(8|16|20|24|32)[ -]?bits?\b/g)].map((m) => Number(m[1]));
  if (!depths.length || !/\bdynamic range|noise floor|how (?:much|many) db|difference|vs|versus|headroom\b/.test(lower))
    return undefined;
  const lines = [...new Set(depths)].map(
    (b) =>
      `- ${b}-bit: ${round(6.02 * b, 1)} dB (${b === 16 ? 'about 96 dB, CD quality' : b === 24 ? 'about 144 dB, more than any converter reaches' : `${b} x 6.02 dB`})`,
  );
  return {
    kind: 'bit_depth_range',
    answer_markdown: `**Dynamic range is about 6 dB per bit** (6.02 x bits):\n${lines.join('\n')}\n\nRecord at 24-bit so you can leave 12-18 dB of headroom without getting near the noise floor; 16-bit is enough for the final delivery with dither.`,
    values: { depths },
  };
};

const GRID: Record<string, number> = {
  quarter: 1,
  '4th': 1,
  eighth: 2,
  '8th': 2,
  sixteenth: 4,
  '16th': 4,
  'thirty-second': 8,
  '32nd': 8,
};

/** "how many 16th notes in 4 bars of 4/4". */
const notesInBars: Calculator = (lower) => {
  const m =
    /how many (quarter|4th|eighth|8th|sixteenth|16th|thirty-second|32nd)(?: notes?)?(?: are)? in (\d+) (?:bars?|measures?)(?: of (\d+)\/(\d+))?/.exec(
      lower,
    );
  if (!m) return undefined;
  const per = GRID[m[1]!]!;
  const bars = Number(m[2]);
  const num = Number(m[3] ?? 4);
  const den = Number(m[4] ?? 4);
  const quarters = num * (4 / den);
  const count = round(bars * quarters * per);
  return {
    kind: 'notes_in_bars',
    answer_markdown: `**${count} ${m[1]} notes** in ${bars} bars of ${num}/${den} (${round(quarters * per)} per bar).`,
    values: { count },
  };
};

/** "samples per beat 48k 128 bpm". */
const samplesPerBeat: Calculator = (lower) => {
  if (!/\bsamples? (?:per|in (?:a|one)) (?:beat|bar|quarter)\b|\bhow many samples\b/.test(lower)) return undefined;
  const bpm = Number(/(\d+(?:\.\d+)?) ?bpm\b/.exec(lower)?.[1] ?? NaN);
  const rateText = /(44[.,]1|48|88[.,]2|96|192) ?k(?:hz)?\b/.exec(lower)?.[1];
  if (!(bpm > 0) || !rateText) return undefined;
  const rate = Number(rateText.replace(',', '.')) * 1000;
  const beat = (rate * 60) / bpm;
  return {
    kind: 'samples_per_beat',
    answer_markdown: `**${round(beat)} samples per beat** at ${bpm} BPM and ${rate} Hz (${rate} x 60 / ${bpm}); a 4/4 bar is ${round(beat * 4)} samples.`,
    values: { bpm, rate, samples_per_beat: round(beat) },
  };
};

const rateOf = (lower: string) => {
  const t = /(44[.,]1|48|88[.,]2|96|192) ?k(?:hz)?\b/.exec(lower)?.[1];
  return t ? Number(t.replace(',', '.')) * 1000 : undefined;
};

/** "latency of 256 samples at 48khz", "how many samples is 10 ms at 48k". */
const samplesAndMs: Calculator = (lower) => {
  const rate = rateOf(lower);
  if (!rate) return undefined;
  // "buffer 128 at 96k": a buffer size is a sample count even without the word.
  const samples = /(\d+) ?samples?\b/.exec(lower) ?? /\bbuffer(?: size)?(?: of| at| is|:)? (\d{2,4})\b/.exec(lower);
  const ms = /(\d+(?:\.\d+)?) ?(?:ms|milliseconds?)\b/.exec(lower);
  if (
    samples &&
    !/\bsamples? (?:per|in (?:a|one)) (?:beat|bar)/.test(lower) &&
    /\blatency|buffer|how (?:long|many ms)|\bms\b|milliseconds/.test(lower) &&
    !ms
  ) {
    const n = Number(samples[1]);
    const t = (n / rate) * 1000;
    return {
      kind: 'samples_to_ms',
      answer_markdown: `**${n} samples at ${rate / 1000} kHz = ${round(t)} ms** (${n} / ${rate} x 1000). As a buffer, the round trip (input + output) is at least about ${round(2 * t)} ms, plus the converters' few milliseconds.`,
      values: { samples: n, rate, ms: round(t) },
    };
  }
  if (ms && /\bhow many samples|\bin samples|\bsamples\b/.test(lower)) {
    const t = Number(ms[1]);
    return {
      kind: 'ms_to_samples',
      answer_markdown: `**${t} ms at ${rate / 1000} kHz = ${round((t / 1000) * rate)} samples** (${t} / 1000 x ${rate}).`,
      values: { ms: t, rate, samples: round((t / 1000) * rate) },
    };
  }
  return undefined;
};

/** Decibels as ratios: "+6 dB as a multiplier", "-6 dB as a ratio", "doubling the distance". */
const decibels: Calculator = (lower): CalculationAnswer | undefined => {
  if (/\bdoubl\w* (?:the )?distance\b/.test(lower)) {
    return {
      kind: 'inverse_square',
      answer_markdown:
        '**Doubling the distance from a point source lowers the level by about 6 dB** (inverse square law: 20 x log10(1/2) = -6.02 dB). In a room, reflections make the real drop smaller.',
      values: { db: -6.02, amplitude: 0.5, power: 0.25 },
    };
  }
  // "how many dB is double the volume", "if i halve the amplitude": a factor of 2 either way.
  const factor =
    /\b(?:doubl\w*|twice) (?:the )?(?:volume|amplitude|level|signal|voltage)|\b(?:halv\w*|half) (?:the )?(?:volume|amplitude|level|signal|voltage)/.exec(
      lower,
    );
  if (factor && /\bdb\b|decibels?|how (?:much|many)/.test(lower)) {
    const up = /doubl|twice/.test(factor[0]);
    return {
      kind: 'db_factor',
      answer_markdown: `**${up ? 'Doubling' : 'Halving'} the amplitude is ${up ? '+' : '-'}6.02 dB** (20 x log10(${up ? 2 : 0.5})); ${up ? 'doubling' : 'halving'} the power is ${up ? '+' : '-'}3.01 dB. Sounding twice ${up ? 'as loud' : 'as quiet'} takes about ${up ? '+' : '-'}10 dB.`,
      values: { db: up ? 6.02 : -6.02, power_db: up ? 3.01 : -3.01 },
    };
  }
  const m = /([+-]?\d+(?:\.\d+)?) ?db\b/.exec(lower);
  if (
    !m ||
    !/\b(?:multiplier|ratio|times|factor|how much louder|amplitude|linear|gain factor|percent(?:age)?)\b|%/.test(lower)
  )
    return undefined;
  const db = Number(m[1]);
  const amplitude = 10 ** (db / 20);
  const power = 10 ** (db / 10);
  return {
    kind: 'db_ratio',
    answer_markdown: `**${db > 0 ? '+' : ''}${db} dB = x${round(amplitude, 3)} in amplitude (${round(amplitude * 100, 1)} %: voltage, sample values) and x${round(power, 3)} in power** (10^(dB/20) and 10^(dB/10)). Perceived loudness roughly doubles every +10 dB.`,
    values: { db, amplitude: round(amplitude, 3), power: round(power, 3) },
  };
};

const SPEED_OF_SOUND = 343;
/** "wavelength of 100 hz", "two mics 1 meter apart how many ms", "how many cents in a semitone". */
const acoustics: Calculator = (lower): CalculationAnswer | undefined => {
  if (/\bcents? (?:in|per) (?:a |one )?semitone|\bsemitone (?:is|=) how many cents/.test(lower)) {
    return {
      kind: 'cents',
      answer_markdown:
        '**100 cents in a semitone**, 1200 in an octave; 1 cent is a frequency ratio of 2^(1/1200), about 0.06 %.',
      values: { cents: 100 },
    };
  }
  const wave = /\bwavelength (?:of |at |for )?(\d+(?:\.\d+)?) ?(k?hz)\b/.exec(lower);
  if (wave) {
    const f = Number(wave[1]) * (wave[2] === 'khz' ? 1000 : 1);
    return {
      kind: 'wavelength',
      answer_markdown: `**${f} Hz has a wavelength of ${round(SPEED_OF_SOUND / f, 3)} m** (343 m/s / ${f} Hz); a quarter wavelength, where a wall causes a notch, is ${round(SPEED_OF_SOUND / f / 4, 3)} m.`,
      values: { hz: f, metres: round(SPEED_OF_SOUND / f, 3) },
    };
  }
  const dist = /(\d+(?:\.\d+)?) ?(m|meters?|metres?|cm|centimeters?|centimetres?|ft|feet|foot)\b/.exec(lower);
  if (
    dist &&
    /\b(?:ms|milliseconds?|delay|arrive|time)\b/.test(lower) &&
    /\bmics?\b|\bapart\b|\bdistance|\bspeakers?\b|\bfrom the\b/.test(lower)
  ) {
    const unit = dist[2] ?? 'm';
    const metres = Number(dist[1]) * (unit.startsWith('c') ? 0.01 : unit.startsWith('f') ? 0.3048 : 1);
    const ms = (metres / SPEED_OF_SOUND) * 1000;
    return {
      kind: 'distance_delay',
      answer_markdown: `**${round(metres, 3)} m of extra distance = ${round(ms)} ms** of delay (sound travels 343 m/s, about 2.9 ms per metre); the first comb-filter notch when the two are mixed sits at ${round(1000 / (2 * ms))} Hz.`,
      values: { metres: round(metres, 3), ms: round(ms) },
    };
  }
  return undefined;
};

/** "my room is 4 meters long, first axial room mode?": f = c / 2L, then its multiples. */
const roomModes: Calculator = (lower) => {
  if (
    !/\b(?:room )?modes?\b|\bstanding waves?\b|\bresonan(?:ce|t)/.test(lower) ||
    !/\broom|wall|long|length/.test(lower)
  )
    return undefined;
  const dist = /(\d+(?:\.\d+)?) ?(m|meters?|metres?|ft|feet|foot)\b/.exec(lower);
  if (!dist) return undefined;
  const metres = Number(dist[1]) * (dist[2]!.startsWith('f') ? 0.3048 : 1);
  if (!(metres > 0.5 && metres < 100)) return undefined;
  const first = SPEED_OF_SOUND / (2 * metres);
  const series = [1, 2, 3, 4].map((n) => `${round(first * n, 1)} Hz`).join(', ');
  return {
    kind: 'room_mode',
    answer_markdown: `**First axial mode of a ${round(metres, 2)} m dimension = ${round(first, 1)} Hz** (343 m/s / (2 x ${round(metres, 2)} m)); its harmonics follow at ${series}. Bass at those frequencies booms or vanishes depending on where you sit: keep the listening spot off the room's centre line and put bass traps in the corners.`,
    values: { metres: round(metres, 2), hz: round(first, 1) },
  };
};

/** Where a platform normalises to, as in shared/loudness-targets. */
const PLATFORMS: [RegExp, string, number][] = [
  [/\bspotify\b/, 'Spotify', -14],
  [/\byou ?tube\b/, 'YouTube', -14],
  [/\btidal\b/, 'Tidal', -14],
  [/\bamazon\b/, 'Amazon Music', -14],
  [/\bapple( music)?\b|\bitunes\b/, 'Apple Music', -16],
  [/\bdeezer\b/, 'Deezer', -15],
];
/** "my track is -9.5 LUFS, how much will spotify turn it down": the platform's target minus the master's loudness. */
const platformGain: Calculator = (lower) => {
  const lufs = /(-\s?\d+(?:\.\d+)?) ?lufs\b/.exec(lower);
  const platform = PLATFORMS.find(([re]) => re.test(lower));
  if (
    !lufs ||
    !platform ||
    !/\b(?:turn(?:ed)? (?:it )?(?:down|up)|how much|quieter|louder|reduce|lower|gain|normali[sz])/.test(lower)
  )
    return undefined;
  const level = Number(lufs[1]!.replace(/\s/g, ''));
  const [, name, target] = platform;
  const change = target - level;
  const move =
    change < 0
      ? `turns your ${level} LUFS master down by ${round(-change, 1)} dB`
      : change > 0
        ? `leaves your ${level} LUFS master ${round(change, 1)} dB under its target (it turns loud tracks down; quiet ones only up where the peaks allow)`
        : 'leaves your master as it is';
  return {
    kind: 'platform_gain',
    answer_markdown: `**${name} normalises playback to ${target} LUFS, so it ${move}** (${target} - (${level}) = ${round(change, 1)} dB).${change < 0 ? ' Turned down to the same loudness, a heavily limited master has flatter peaks and less punch than a dynamic one, which is why it can sound quieter and smaller next to songs mastered less loud.' : ''}`,
    values: { platform: name, target, lufs: level, change_db: round(change, 1) },
  };
};

/**
 * Tracker timing (ProTracker, BassoonTracker): a row lasts speed x 2.5 / BPM seconds (speed = ticks per row).
 * "speed 6 bpm 125, how long is a 64 row pattern", "speed 3 at tempo 125, 4 rows a beat, what's the real bpm".
 */
const trackerTiming: Calculator = (lower): CalculationAnswer | undefined => {
  const speed = /\bspeed (\d{1,2})\b/.exec(lower);
  const bpm = /\b(?:bpm|tempo) (\d{2,3})\b|\b(\d{2,3}) ?bpm\b/.exec(lower);
  if (!speed || !bpm || !/\btracker|rows?\b|patterns?\b|ticks?\b|\bmod\b/.test(lower)) return undefined;
  const ticks = Number(speed[1]);
  const tempo = Number(bpm[1] ?? bpm[2]);
  if (!(ticks > 0 && tempo > 0)) return undefined;
  const row = (ticks * 2.5) / tempo;
  const perBeat = /(\d+) rows? (?:is |per |= ?|a |make )?(?:a |one |1 )?beat/.exec(lower);
  if (perBeat) {
    const rows = Number(perBeat[1]);
    const real = 60 / (row * rows);
    return {
      kind: 'tracker_bpm',
      answer_markdown: `**${round(real, 2)} BPM**: at speed ${ticks} and tempo ${tempo} a row lasts ${round(row * 1000, 1)} ms (${ticks} x 2.5 / ${tempo} s), so ${rows} rows per beat make a beat of ${round(row * rows * 1000, 1)} ms.`,
      values: { bpm: round(real, 2), row_ms: round(row * 1000, 1) },
    };
  }
  const rowsM = /(\d+)[ -]rows?\b/.exec(lower);
  const rows = rowsM ? Number(rowsM[1]) : 64;
  const patterns = /(\d+) patterns?\b|(\d+)[ -]pattern (?:song|mod|module)/.exec(lower);
  const count = patterns ? Number(patterns[1] ?? patterns[2]) : 1;
  const total = row * rows * count;
  return {
    kind: 'tracker_length',
    answer_markdown: `**${count > 1 ? `${count} patterns` : `One ${rows}-row pattern`} at speed ${ticks}, tempo ${tempo} = ${round(total, 2)} s**${total >= 60 ? ` (${Math.floor(total / 60)}:${total % 60 < 10 ? '0' : ''}${round(total % 60, 1)})` : ''}: a row lasts ${ticks} x 2.5 / ${tempo} = ${round(row * 1000, 1)} ms${count > 1 ? `, a ${rows}-row pattern ${round(row * rows, 2)} s` : ''}. Speed 6 at 125 is the classic default (4 rows per beat = 125 BPM).`,
    values: { seconds: round(total, 2), row_ms: round(row * 1000, 1) },
  };
};

export const STUDIO_CALCULATORS: Calculator[] = [
  roomModes,
  platformGain,
  trackerTiming,
  samplesAndMs,
  decibels,
  acoustics,
  halfDoubleTime,
  tempoChange,
  fileSize,
  bitDepthRange,
  notesInBars,
  samplesPerBeat,
];
