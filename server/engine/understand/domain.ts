/**
 * Is a question about making music at all? Codette declines the rest plainly. Evidence is counted from words that
 * only production talk uses ("compressor", "chorus", "bpm"), and words that are everyday English ("track",
 * "drive", "record") count only beside another sign; an explicit other field ("taxes", "recipe") weighs against.
 */
import type { Facets } from './facets';

const STRONG =
  /\b(?:mix(?:es|ing|down)?|master(?:ing)?|eq|equali[sz]\w*|compress\w*|reverb|delay|vocals?|vox|kick|snare|hi ?hats?|808s?|bass(?:line)?|synths?|drums?|guitars?|piano|daw|plugins?|vst|bpm|tempo|lufs|dbfs|db|hz|khz|chords?|scales?|melod\w*|harmon\w*|chorus|verse|beat ?making|beats|producer|produc(?:e|ing|tion)|songs?|music\w*|audio|sound(?:s|ing)?|loops?|samples?|stems?|metronome|sidechain|limiter|saturation|panning|stereo|mono|mic(?:s|rophones?)?|interface|latency|bandlab|soundtrap|audiotool|ableton|fl studio|logic pro|pro tools|reaper|garageband|cubase|studio one|bitwig|midi|arrang\w*|genre|techno|house|trap|hip ?hop|lo-?fi|dnb|dubstep|edm|rap\w*|sing\w*|singer|key of|minor|major|rhythm|groove|swing|quantiz\w*|spotify|soundcloud|youtube|apple music|tidal|headphones|monitors|speakers|gain|headroom|fader|clipping|distortion|pads?|leads?|plucks?|arps?|sub|low end|high end|mids|treble|frequenc\w*|track(?:s|ing)? (?:a|my|the)? ?(?:vocal|guitar|drum)|recording|record (?:vocals|guitar|drums|a song|my voice)|de-?ess\w*|sibilan\w*|transients?|punch\w*|muddy|boxy|harsh|thin|boomy|dither\w*|bit depth|sample rate|oversampl\w*|automation|bus|send|return|aux|preset|patch|oscillators?|lfo|envelope|filter|cutoff|resonance|wavetable|serum|vital|granular)\b/g;

const OTHER_FIELD =
  /\b(?:tax(?:es)?|recipes?|cook(?:ing)?|bake|weather|forecast|football|soccer|basketball|stocks?|crypto|bitcoin|invest\w*|mortgage|loan|doctor|medic\w*|symptoms?|disease|flights?|hotels?|vacation|holiday|dating|girlfriend|boyfriend|politic\w*|president|election|capital of|homework|essay|python|javascript|java|sql|excel|spreadsheet|car|engine oil|tyres?|tires?|pizza|pasta|dog|cat|pet|lawyer|visa|passport|wifi password|printer|poem about|joke)\b/g;

export interface DomainCheck {
  inDomain: boolean;
  /** 0..1: how clearly the question is about music production. */
  strength: number;
}

export function checkDomain(text: string, facets: Facets): DomainCheck {
  const t = text.toLowerCase();
  const strong = new Set(t.match(STRONG) ?? []).size;
  const other = new Set(t.match(OTHER_FIELD) ?? []).size;
  const facetCount = facets.subject.size + facets.process.size + facets.problem.size;
  const evidence = strong + 0.5 * Math.min(facetCount, 3) - 1.5 * other;
  return { inDomain: evidence >= 1, strength: Math.max(0, Math.min(1, evidence / 3)) };
}
