/**
 * What a question is about, as three facets a musician would name: the subject (an instrument, a voice, a bus),
 * the process (EQ, compression, reverb, recording, arrangement...) and the problem (thin, muddy, harsh, no punch...).
 * The same patterns read knowledge entries (title, topic, tags), so an entry about compressing a snare ranks
 * above one that merely shares the word "harder".
 */

export interface Facets {
  subject: Set<string>;
  process: Set<string>;
  problem: Set<string>;
}

type Table = Record<string, RegExp>;

/** Patterns run on lower-case text whose punctuation and hyphens are spaces ("hi-hat" -> "hi hat"). */
export const SUBJECTS: Table = {
  vocal:
    /\b(?:vocals?|vox|vocalist|singers?|singing|sung|voices?(?! leading)|lead vocals?|a ?cappella|acapella|rap vocals?|raps?|rapping|rapper|backing vocals?|bvs|harmon(?:y|ies) vocals?|ad ?libs?|podcast|voice ?over|speech|dialogue|narration|spoken)\b/,
  kick: /\b(?:kicks?|kick drums?|bass drums?|bd)\b/,
  snare: /\b(?:snares?|snare drums?|claps?|rimshots?)\b/,
  hihat: /\b(?:hi ?hats?|hats|cymbals?|rides?|crash(?:es)?)\b/,
  toms: /\b(?:toms?|rack toms?|floor toms?)\b/,
  overheads: /\b(?:overheads?|oh mics?)\b/,
  drums: /\b(?:drums?|drum kit|drum bus|kit|percussion|breakbeats?|drum loops?|beat)\b/,
  bass: /\b(?:bass(?! drum)(?: guitar| line| lines)?|basslines?|sub ?bass|reese)\b/,
  '808': /\b808s?\b/,
  guitar: /\b(?:guitars?|gtrs?|acoustic guitars?|electric guitars?|amp|amps|cab|cabinet)\b/,
  piano: /\b(?:pianos?|keys|rhodes|organs?|keyboard parts?)\b/,
  synth: /\b(?:synths?|synthesizers?|leads?|arps?|supersaws?|wavetables?|oscillators?|serum|vital)\b/,
  pad: /\b(?:pads?)\b/,
  pluck: /\b(?:plucks?|plucky)\b/,
  house: /\b(?:house|deep house|tech house)\b/,
  techno: /\btechno\b/,
  dubstep: /\bdubstep\b/,
  dnb: /\b(?:dnb|drum and bass|drum n bass|jungle)\b/,
  garage: /\b(?:uk garage|2 ?step|garage)\b/,
  hiphop: /\b(?:hip ?hop|boom ?bap|rap beats?)\b/,
  trap: /\btrap\b/,
  drill: /\bdrill\b/,
  lofi: /\blo ?fi\b/,
  reggae: /\b(?:reggae|one drop|dancehall)\b/,
  reggaeton: /\b(?:reggaeton|dembow)\b/,
  funk: /\b(?:funk|funky)\b/,
  jazz: /\bjazz\b/,
  metal: /\bmetal\b/,
  phonk: /\bphonk\b/,
  afro: /\b(?:afrobeats?|amapiano)\b/,
  bandlab: /\bbandlab\b/,
  soundtrap: /\bsoundtrap\b/,
  audiotool: /\baudiotool\b/,
  tracker: /\b(?:bassoon ?tracker|protracker|mod tracker|trackers?|soundbox|beepbox|jummbox)\b/,
  chrome_music_lab: /\b(?:chrome music lab|song ?maker)\b/,
  amped_studio: /\b(?:amped studio|online sequencer|soundation)\b/,
  strings: /\b(?:strings|violins?|cellos?|orchestral|brass|horns?|trumpets?)\b/,
  mix_bus: /\b(?:mix ?bus|master ?bus|2 ?bus|stereo bus|whole mix|full mix|mixdown)\b/,
};

export const PROCESSES: Table = {
  eq: /\b(?:eq|eqs|eqing|eq ing|equali[sz](?:e|er|ers|ing|ation)|high ?pass(?:ing)?|low ?pass(?:ing)?|hpf|lpf|low cut|high cut|shelf|shelving|boost(?:ing)?|cut(?:ting)? (?:at|around|the|some)|notch|q)\b/,
  compression:
    /\b(?:compress(?:ion|or|ors|ing|ed)?|comp(?:ing)? settings|ratio|attack|release|threshold|gain reduction|glue|parallel|squash(?:ed)?|1176|la ?2a|opto|vca|fet|limit(?:er|ing)?|transient shaper)\b/,
  reverb:
    /\b(?:reverbs?|verb|plate|hall|room sound|convolution|early reflections|pre ?delay|decay time|ambience|space)\b/,
  delay: /\b(?:delays?|echo(?:es)?|slap ?back|ping ?pong|dotted eighth|throws?)\b/,
  deessing: /\b(?:de ?ess(?:er|ing)?|sibilan(?:ce|t)|esses|s sounds|harsh s)\b/,
  saturation:
    /\b(?:saturat(?:ion|e|or)|distort(?:ion)?|tape|drive|overdrive|harmonics|exciter|clipper|soft clip(?:ping)?)\b/,
  sidechain: /\b(?:side ?chain(?:ing|ed)?|ducking|duck|pumping)\b/,
  stereo: /\b(?:stereo|panning|pan|panned|wide|width|wider|mono|mid ?side|haas|imaging|narrow)\b/,
  mastering:
    /\b(?:master(?:ing|ed)?|loudness|lufs|true peak|limiter|spotify|youtube|apple music|tidal|soundcloud|streaming|dither(?:ing)?|loud enough|how loud(?! (?:should|is|do|does|can) (?:my|the|a|your) (?:kick|bass|vocals?|vox|snare|808|drums?|hi ?hats?|guitars?|piano|synths?|pads?|beat)))\b/,
  gain: /\b(?:gain staging|gain|headroom|levels?|dbfs|clipping|clip|fader|too quiet|too loud|volume)\b/,
  recording:
    /\b(?:record(?:ing|ed)?|tracking|mic(?:s|ing|rophones?)?|condenser|dynamic mic|sm ?57|sm ?7b|pop filter|interface|preamp|booth|bedroom|closet|room treatment|acoustic (?:panels?|treatment|foam)|foam|treat(?:ing)? (?:my|the|a) room)\b/,
  arrangement:
    /\b(?:arrang(?:e|ing|ement)s?|structure|song form|verses?|chorus(?:es)?|bridge|intro|outro|drops?|build ?ups?|breakdown|transitions?|hooks?|song length|how long|sections?)\b/,
  sound_design:
    /\b(?:from scratch|make (?:a|an) (?:\w+ )?sound\b(?! (?:\w+er|less|more|like|better|worse|bad|good)\b)|(?:make|create|build|synthesi[sz]e) (?:a|an) (?:\w+ )?(?:808|bass|kick|snare|clap|pad|pluck|lead|synth|supersaw|reese|wobble|riser|drone|arp)s?\b(?! (?:sit|hit|punch|cut|louder|quieter|sound (?:less|more|better|worse|bad|good)))|design(?:ing)? (?:a|an|the)|sound design|synthes(?:is|ize)|patch|presets?|oscillators?|wavetable|fm|granular|resampl(?:e|ing)|lfo|envelope|filter sweep|layering|layer)\b/,
  theory:
    /\b(?:chords?|scales?|keys?|modes?|intervals?|progressions?|harmony|melod(?:y|ies)|notes?|minor|major|dorian|phrygian|lydian|mixolydian|pentatonic|circle of fifths|inversions?|cadences?|relative)\b/,
  rhythm:
    /\b(?:swing|groove|quantiz(?:e|ing|ation)|humani[sz]e|ghost notes?|velocit(?:y|ies)|syncopat(?:ion|ed)|polyrhythm|shuffle|half ?time|double ?time|time signature|hi hat (?:rolls?|patterns?)|four on the floor|triplets?)\b/,
  workflow:
    /\b(?:workflow|templates?|shortcuts?|hotkeys?|organi[sz](?:e|ing)|naming|colou?r cod(?:e|ing)|bounce|freeze|stems?|finish(?:ing)? (?:songs?|tracks?)|routine|reference tracks?|ear fatigue|breaks?)\b/,
  web_daw:
    /\b(?:bandlab|soundtrap|audiotool|amped studio|soundation|looplabs|beepbox|onlinesequencer|online sequencer|chrome music lab|browser|web daw|online daw|in the browser|tab)\b/,
  ear_training: /\b(?:ear training|train(?:ing)? my ears?|intervals by ear|hear (?:frequencies|compression))\b/,
};

export const PROBLEMS: Table = {
  thin: /\b(?:thin|weak body|no body|lacks? body|small sounding|tinny|no weight|weightless)\b/,
  muddy: /\b(?:mud|muddy|murky|muffled|cloudy|woolly|wooly|boomy|boom|too much low end|low end buildup|cluttered)\b/,
  boxy: /\b(?:boxy|box|cardboard|honky|honk|nasal|hollow)\b/,
  harsh: /\b(?:harsh|harshness|piercing|shrill|brittle|ear fatigue|painful|ice ?picky|fizzy|too bright)\b/,
  sibilant: /\b(?:sibilan(?:ce|t)|esses|s sounds|ess)\b/,
  dull: /\b(?:dull|dark|lifeless|no air|lacks? air|not bright|flat sounding)\b/,
  punch:
    /\b(?:punch(?:y|ier)?|hit(?:s)? harder|hits? (?:as|that|so|very) hard|slap(?:s|py)?|snap(?:py)?|crack|thump|knock|impact|weak|weaker|not hitting|cut through|cuts through|attack)\b/,
  buried:
    /\b(?:buried|too quiet|quiet|can t hear|cannot hear|get lost|gets lost|lost in the mix|sits? (?:on top|in the mix)|upfront|up front|in front|presence|not loud enough|louder)\b/,
  too_loud: /\b(?:too loud|too hot|sticks? out|overpowering|clipping|distorting|red)\b/,
  room_echo:
    /\b(?:room echo|echoey|echoy|echo in (?:my|the) room|roomy|reflections|room sound|bedroom|closet|untreated|slap from the walls)\b/,
  noise: /\b(?:noise|noisy|hiss|hum|buzz|crackl(?:e|es|ing)|clicks?|pops?|glitch(?:es|y)?|dropouts?)\b/,
  latency: /\b(?:latency|lag|delay when recording|out of sync|late)\b/,
  plosive: /\b(?:plosives?|p pops?|popping p|pops)\b/,
  width: /\b(?:narrow|not wide|wider|width|mono compatib\w*|collapses? in mono|phasey)\b/,
  robotic:
    /\b(?:robotic|stiff|mechanical|too quantized|quantised|lifeless drums|machine ?like|on the grid|less robotic|more human)\b/,
  loudness: /\b(?:not loud enough|louder|loudness|competitive|lufs|how loud|quiet master)\b/,
};

/** Lower case, punctuation and hyphens as spaces: the form the facet patterns read. */
export const facetText = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/['’-]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' | ')
    .replace(/\s+/g, ' ')
    .trim()} `;

export function facetsOf(text: string): Facets {
  const t = facetText(text);
  const read = (table: Table) =>
    new Set(
      Object.entries(table)
        .filter(([, re]) => re.test(t))
        .map(([name]) => name),
    );
  const f: Facets = { subject: read(SUBJECTS), process: read(PROCESSES), problem: read(PROBLEMS) };
  // "drums" is implied by any drum piece; a named piece is the more specific subject.
  if (
    ['kick', 'snare', 'hihat', 'toms', 'overheads'].some((s) => f.subject.has(s)) &&
    /\b(?:beat|kit)\b/.test(t) &&
    !/\bdrums?\b/.test(t)
  )
    f.subject.delete('drums');
  // The specific subject is what was asked: "a pluck in serum" is about plucks, "my 808" about the 808.
  for (const [child, parent] of Object.entries(SUBJECT_FAMILY))
    if (f.subject.has(child) && parent !== 'drums') f.subject.delete(parent);
  // "slap" is punch on drums, slapback on a voice or a guitar.
  if (
    f.problem.has('punch') &&
    f.process.has('delay') &&
    !/\bslap ?back\b/.test(t) &&
    (f.subject.has('snare') || f.subject.has('kick') || f.subject.has('drums'))
  )
    f.process.delete('delay');
  // "master" the verb vs the bus: mastering questions name a platform, loudness or the master itself.
  return f;
}

/** Subjects that belong to a wider one: a question about drums is partly answered by a kick entry. */
/** Platforms and genres name where or in what style, not the instrument: they count, but less, and never as a wrong subject. */
export const CONTEXT_SUBJECTS = new Set([
  'bandlab',
  'soundtrap',
  'audiotool',
  'tracker',
  'chrome_music_lab',
  'amped_studio',
  'house',
  'techno',
  'dubstep',
  'dnb',
  'garage',
  'hiphop',
  'trap',
  'drill',
  'lofi',
  'reggae',
  'reggaeton',
  'funk',
  'jazz',
  'metal',
  'phonk',
  'afro',
]);

export const SUBJECT_FAMILY: Record<string, string> = {
  kick: 'drums',
  snare: 'drums',
  hihat: 'drums',
  toms: 'drums',
  overheads: 'drums',
  '808': 'bass',
  pad: 'synth',
  pluck: 'synth',
};

/** What a problem is usually fixed with, when the question names no process: "boomy snare" is an EQ question. */
export const PROBLEM_PROCESS: Record<string, string[]> = {
  thin: ['eq'],
  muddy: ['eq'],
  boxy: ['eq'],
  harsh: ['eq', 'deessing'],
  dull: ['eq'],
  sibilant: ['deessing'],
  punch: ['compression'],
  room_echo: ['recording'],
  robotic: ['rhythm'],
  too_loud: ['gain'],
  latency: ['recording'],
  noise: ['recording'],
  plosive: ['recording'],
  width: ['stereo'],
  loudness: ['mastering'],
  buried: ['gain'],
};
