/**
 * For a French reader of an English knowledge passage: the passage's production terms with their French names
 * ("verse = couplet", "latency = latence"), so the advice can be followed in a French DAW or forum.
 */
const GLOSSARY: [en: RegExp, label: string, fr: string][] = [
  [/\bverses?\b/i, 'verse', 'couplet'],
  [/\bchorus(?:es)?\b/i, 'chorus', 'refrain'],
  [/\bpre-?chorus\b/i, 'pre-chorus', 'pré-refrain'],
  [/\bbridge\b/i, 'bridge', 'pont'],
  [/\bhooks?\b/i, 'hook', 'accroche'],
  [/\bbars?\b/i, 'bar', 'mesure'],
  [/\bbeats?\b/i, 'beat', 'temps'],
  [/\blatency\b/i, 'latency', 'latence'],
  [/\bbuffer\b/i, 'buffer', 'tampon (buffer)'],
  [/\bdirect monitoring\b/i, 'direct monitoring', 'monitoring direct'],
  [/\bheadphones?\b/i, 'headphones', 'casque'],
  [/\bvocals?\b/i, 'vocal', 'voix'],
  [/\bkick\b/i, 'kick', 'grosse caisse'],
  [/\bsnare\b/i, 'snare', 'caisse claire'],
  [/\bhi-?hats?\b/i, 'hi-hat', 'charleston'],
  [/\bbass\b/i, 'bass', 'basse'],
  [/\bdrums?\b/i, 'drums', 'batterie'],
  [/\bchords?\b/i, 'chord', 'accord'],
  [/\bscales?\b/i, 'scale', 'gamme'],
  [/\bminor\b/i, 'minor', 'mineur'],
  [/\bmajor\b/i, 'major', 'majeur'],
  [/\bDorian\b/, 'Dorian', 'dorien'],
  [/\bPhrygian\b/, 'Phrygian', 'phrygien'],
  [/\bLydian\b/, 'Lydian', 'lydien'],
  [/\bMixolydian\b/, 'Mixolydian', 'mixolydien'],
  [/\bAeolian\b/, 'Aeolian', 'éolien'],
  [/\b6th\b|\bsixth\b/i, '6th', 'sixte'],
  [/\b7th\b|\bseventh\b/i, '7th', 'septième'],
  [/\b3rd\b|\bthird\b/i, '3rd', 'tierce'],
  [/\b5th\b|\bfifth\b/i, '5th', 'quinte'],
  [/\bsemitones?\b/i, 'semitone', 'demi-ton'],
  [/\bkey\b/i, 'key', 'tonalité'],
  [/\bpitch\b/i, 'pitch', 'hauteur'],
  [/\breverb\b/i, 'reverb', 'réverbe'],
  [/\bcompressor\b|\bcompression\b/i, 'compression', 'compression'],
  [/\bthreshold\b/i, 'threshold', 'seuil'],
  [/\battack\b/i, 'attack', 'attaque'],
  [/\brelease\b/i, 'release', 'relâchement (release)'],
  [/\bratio\b/i, 'ratio', 'taux (ratio)'],
  [/\bgain\b/i, 'gain', 'gain'],
  [/\bhigh-?pass\b/i, 'high-pass', 'passe-haut'],
  [/\blow-?pass\b/i, 'low-pass', 'passe-bas'],
  [/\bshelf\b/i, 'shelf', 'plateau (shelf)'],
  [/\bmud(?:dy)?\b/i, 'mud', 'boue (son brouillon)'],
  [/\bharsh(?:ness)?\b/i, 'harsh', 'agressif'],
  [/\bsibilance\b|\bde-?ess/i, 'sibilance', 'sifflantes'],
  [/\bsidechain\b/i, 'sidechain', 'sidechain (compression déclenchée)'],
  [/\bstereo\b/i, 'stereo', 'stéréo'],
  [/\bpanning\b|\bpan\b/i, 'panning', 'panoramique'],
  [/\bloudness\b/i, 'loudness', 'sonie (loudness)'],
  [/\btrue peak\b/i, 'true peak', 'crête vraie'],
  [/\bheadroom\b/i, 'headroom', 'marge (headroom)'],
  [/\bnoise\b/i, 'noise', 'bruit'],
  [/\broom\b/i, 'room', 'pièce'],
  [/\bmic(?:rophone)?s?\b/i, 'mic', 'micro'],
  [/\bpop filter\b/i, 'pop filter', 'filtre anti-pop'],
  [/\binterface\b/i, 'interface', 'carte son (interface)'],
  [/\bsample rate\b/i, 'sample rate', "fréquence d'échantillonnage"],
  [/\bbit depth\b/i, 'bit depth', 'résolution (bits)'],
  [/\benvelope\b/i, 'envelope', 'enveloppe'],
  [/\bfilter\b/i, 'filter', 'filtre'],
  [/\bcutoff\b/i, 'cutoff', 'fréquence de coupure'],
  [/\bsine\b/i, 'sine', 'sinus'],
  [/\bsaw(?:tooth)?\b/i, 'saw', 'dent de scie'],
  [/\bglide\b|\bportamento\b/i, 'glide', 'glissé (portamento)'],
  [/\bdistortion\b|\bsaturation\b/i, 'saturation', 'saturation'],
  [/\barrangement\b/i, 'arrangement', 'arrangement'],
  [/\btempo\b/i, 'tempo', 'tempo'],
];

/** A line naming the passage's terms in French, or undefined when there is none worth naming. */
export function frenchGlossaryLine(text: string, max = 8): string | undefined {
  const pairs: string[] = [];
  for (const [re, en, fr] of GLOSSARY) {
    if (pairs.length >= max) break;
    if (en.toLowerCase() === fr.toLowerCase()) continue;
    if (re.test(text)) pairs.push(`${en} = ${fr}`);
  }
  return pairs.length ? `_Vocabulaire : ${pairs.join(' · ')}._` : undefined;
}
