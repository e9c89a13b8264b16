/** Which of Codette's perspectives a message calls for, scored from its wording. */

import { Perspective } from '../../../shared/schemas/chat';

export type { Perspective };
export const PERSPECTIVES = Perspective.options;

/** Each cue counts once per message; a cue with weight 2 is close to decisive on its own. */
const CUES: Record<Perspective, ReadonlyArray<readonly [RegExp, number]>> = {
  technical_troubleshooting: [
    [/\bwhy (?:is|are) there (?:an? )?(?:click|pop|crackle|noise|hum|buzz|delay|lag)/, 3],
    [/\b(?:clicks|clicking|clicky|crackl\w*|popping|pops|glitch\w*|stutter\w*|dropouts?|xruns?)\b/, 2],
    [
      /\b(?:latency|buffer size|buffer|lag\w*|out of sync|drift\w*|crash\w*|freez\w*|error|not working|doesn'?t work|won'?t (?:play|record|load|open)|stopped working)\b/,
      2,
    ],
    [
      /\b(?:no sound|can'?t hear|silent|driver|asio|audio interface|cpu|sample rate|ground loop|hum|buzz|feedback loop|microphone (?:not|isn'?t)|permission|browser)\b/,
      1,
    ],
  ],
  audio_theory: [
    [
      /\b(?:chords?|scales?|intervals?|keys?|modes?|dorian|phrygian|lydian|mixolydian|locrian|aeolian|ionian|pentatonic)\b/,
      2,
    ],
    [
      /\b(?:harmony|harmonic minor|progressions?|semitones?|cents|transpos\w*|octaves?|relative (?:major|minor)|circle of fifths|triads?|inversions?|cadences?)\b/,
      2,
    ],
    [
      /\b(?:notes?|pitch|frequency|frequencies|hz|harmonics|overtones|decibels?|nyquist|phase|waveform|sine|fundamental|acoustics?|theory)\b/,
      1,
    ],
  ],
  creative_production: [
    [
      /\b(?:arrang\w*|ideas?|sound design|genres?|inspiration|writer'?s block|creative\w*|song ?writing|song structure)\b/,
      2,
    ],
    [
      /\b(?:drops?|build-?ups?|breakdowns?|intros?|outros?|chorus|verses?|hooks?|transitions?|vibe|texture|patch|synth\w*|sample flip|groove|feel|style|melod\w*|bassline|drum and bass|dnb|house|techno|hip[ -]hop|trap|lo-?fi|ambient|dubstep|drill|garage|afrobeats?|reggaeton|funk|jazz)\b/,
      1,
    ],
  ],
  workflow_optimization: [
    [/\b(?:templates?|shortcuts?|hotkeys?|keyboard commands?|workflow)\b/, 3],
    [/\b(?:organi[sz]\w*|productiv\w*|save time|efficient\w*)\b/, 2],
    [/\b(?:bandlab|soundtrap|audiotool|amped studio|in (?:the|my|a) daw|loop a section)\b/, 1],
    [
      /\b(?:faster|quicker|speed up my|macros?|presets?|colou?r[- ]cod\w*|naming|backups?|versions?|sessions?|routine|finish(?:ing)? (?:more )?(?:tracks|songs)|habits?)\b/,
      1,
    ],
  ],
  mix_engineering: [
    [/\b(?:eq|eqs|eqing|equali[sz]\w*|compress\w*|mix\w*|master\w*|sidechain\w*|limit\w*|de-?ess\w*|saturat\w*)\b/, 2],
    [
      /\b(?:levels?|loud\w*|lufs|reverb|delay|pann\w*|stereo|width|muddy|mud|harsh|sibilan\w*|gain|headroom|bus|vocals?|low end|high end|balance|dynamics|transients?|punch\w*|clarity|boomy|clipping|true peak|spotify|streaming)\b/,
      1,
    ],
  ],
};

export function scorePerspectives(lower: string): Record<Perspective, number> {
  const scores = Object.fromEntries(PERSPECTIVES.map((p) => [p, 0])) as Record<Perspective, number>;
  for (const p of PERSPECTIVES) for (const [re, weight] of CUES[p]) if (re.test(lower)) scores[p] += weight;
  return scores;
}

/** The best-scoring perspective; the fallback wins ties and messages with no cue at all. */
export function choosePerspective(
  lower: string,
  fallback: Perspective,
): { perspective: Perspective; cueScore: number } {
  const scores = scorePerspectives(lower);
  let best: Perspective = fallback;
  for (const p of PERSPECTIVES) if (scores[p] > scores[best]) best = p;
  const cueScore = PERSPECTIVES.reduce((sum, p) => sum + scores[p], 0);
  return { perspective: best, cueScore };
}
