/**
 * Is a question about making music at all? Codette declines the rest plainly. Evidence is counted from words that
 * only production talk uses ("compressor", "chorus", "bpm"), and words that are everyday English ("track",
 * "drive", "record") count only beside another sign; an explicit other field ("taxes", "recipe") weighs against.
 */
import type { Facets } from './facets';

/** Words that only music talk uses: one is enough. */
const STRONG =
  /\b(?:mix(?:es|ing|down)|mastering|eq|eqs|eqing|equali[sz]\w*|compressor|compression|reverb|verb|delays?|vocals?|vox|singers?|singing|snares?|hi ?hats?|808s?|basslines?|synths?|synthesi[sz]\w*|drums?|drummer|guitars?|piano|keyboard|daw|daws|plugins?|vst|bpm|tempo|lufs|dbfs|dbtp|db|hz|khz|chords?|melod\w*|harmon\w*|chorus|verses?|songs?|songwriting|music\w*|musician|audio|producer|producing|production|stems?|metronome|sidechain\w*|limiter|saturation|panning|pan law|stereo|mono|mic|mics|microphones?|condenser|preamp|latency|bandlab|soundtrap|audiotool|ableton|fl studio|logic pro|pro tools|reaper|garageband|cubase|studio one|bitwig|midi|arrang\w*|genres?|techno|dubstep|hip ?hop|lo-?fi|dnb|drum and bass|edm|drill|phonk|reggaeton|afrobeats?|amapiano|synthwave|rap|rapper|rapping|instrumentals?|acapella|a cappella|rhythm|groove|swing|quantiz\w*|spotify|soundcloud|apple music|tidal|bandcamp|headphones|monitors|speakers|headroom|fader|clipping|distortion|oversampl\w*|dither\w*|sample rate|bit depth|wav|flac|mp3|aiff|de-?ess\w*|sibilan\w*|transients?|punchy|muddy|boxy|boomy|sub ?bass|low end|high end|treble|mids|frequenc\w*|automation|aux|preset|patch|oscillators?|lfo|envelope|cutoff|resonance|wavetable|serum|vital|granular|arpeggi\w*|scales? (?:of|in)|key of|minor|major|dorian|phrygian|lydian|mixolydian|pentatonic|modes?|intervals?|octaves?|semitones?|high ?pass|low ?pass|hpf|lpf|airpods|earbuds|layering|kicks|podcasts?|\d+ ?bits?|bit|tracker|bassoontracker|soundbox|beepbox|chrome music lab|autotune|auto-tune|autopitch|reverbe|voix|mixage|morceau|chanson|accords?|batterie|basse|guitare|enregistr\w*|micro|tonalité|gamme|refrain|couplet)\b/g;

/** Words music talk shares with everyday English: two are needed ("compress a zip file" is not enough). */
const WEAK =
  /\b(?:mix|master|track|tracks|record|recording|beat|beats|kick|bass|key|scale|note|notes|pitch|sample|samples|sampling|tune|tuning|loop|loops|compress|attack|release|drive|sound|sounds|sounding|loud|louder|quiet|volume|levels?|gain|bus|send|return|filter|pad|pads|lead|leads|pluck|house|trap|funk|soul|pop|rock|metal|jazz|harsh|thin|punch|warm|bright|dark|wide|width|room|echo|band|instrument|play|playing|listen|ears?|hook|bridge|intro|outro|drop|build|bars?|measures?|split|route|routing|export|bounce)\b/g;

const OTHER_FIELD =
  /\b(?:zip|unzip|pdf|word document|html|css|div|pandas|keyerror|stack ?trace|compile error|heart ?rate|resting|pulse|blood pressure|gym|workout|muscles?|diet|calories|investors?|pitch deck|startup|resume|cv|job interview|salary|rent|landlord|recette|cuisine|veau|gâteau|match|psg|marseille|foot|ligue|impôts?|médecin|voiture|météo|devoirs|girlfriend|boyfriend|wife|husband|text her|text him|breakup|wedding|tax(?:es)?|recipes?|cook(?:ing)?|bake|weather|forecast|football|soccer|basketball|stocks?|crypto|bitcoin|invest\w*|mortgage|loan|doctor|medic\w*|symptoms?|disease|flights?|hotels?|vacation|holiday|dating|girlfriend|boyfriend|politic\w*|president|election|capital of|homework|essay|python|javascript|java|sql|excel|spreadsheet|car|engine oil|tyres?|tires?|pizza|pasta|dog|cat|pet|lawyer|visa|passport|wifi password|printer|poem about|joke)\b/g;

export interface DomainCheck {
  inDomain: boolean;
  /** 0..1: how clearly the question is about music production. */
  strength: number;
}

/** Everyday words that knowledge tags also use; they say nothing about the domain. */
const GENERIC = new Set(
  'the and for with how what why make making more less best good better time times first last long short high low big small new old open closed free level levels file files rate normal right left top bottom front back side start end one two three four five six seven eight nine ten part parts room rooms space power light fast slow hard soft heavy clean full real type types basics guide tips order work working set settings'.split(
    ' ',
  ),
);

/** The words of knowledge tags and topics ("drill", "phonk", "pan law"), minus everyday ones. */
export function domainTermsOf(entries: readonly { tags: string[]; topic: string }[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries)
    for (const w of `${e.tags.join(' ')} ${e.topic}`.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      if (w.length >= 3 && !GENERIC.has(w)) out.add(w);
  return out;
}

export function checkDomain(
  text: string,
  facets: Facets,
  domainTerms: ReadonlySet<string> = new Set(),
  asTyped = text,
): DomainCheck {
  const t = text.toLowerCase();
  const strong = new Set(t.match(STRONG) ?? []).size;
  const weak = new Set(t.match(WEAK) ?? []).size;
  // Typed words, not typo-corrected ones: "resting heart rate" must not become something musical first.
  const other = new Set(asTyped.toLowerCase().match(OTHER_FIELD) ?? []).size;
  const known = new Set((t.match(/[a-z0-9]+/g) ?? []).filter((w) => domainTerms.has(w) && !WEAK_WORD.test(w))).size;
  const facetCount = facets.subject.size + facets.process.size + facets.problem.size;
  const evidence = strong + 0.5 * weak + 0.3 * Math.min(known, 2) + 0.25 * Math.min(facetCount, 2) - 1.5 * other;
  return { inDomain: evidence >= 1, strength: Math.max(0, Math.min(1, evidence / 3)) };
}

const WEAK_WORD = new RegExp(`^(?:${WEAK.source.slice(5, -3)})$`);
