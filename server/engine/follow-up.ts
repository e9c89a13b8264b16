/**
 * A follow-up ("and on vocals?", "and at 140?", "what about a quarter note triplet", "et pour apple music ?") only
 * makes sense with the conversation before it. The question it really asks is the previous question with the
 * slot the follow-up names replaced: the subject, the tempo, the note value, the platform, the genre, the key.
 */
import { facetsOf, SUBJECTS } from './understand/facets';

const FOLLOW_UP_START =
  /^(?:and|or|also|what about|how about|same (?:for|thing for|with|question for|but for)|and for|and on|and with|what if|then|ok and|et|et pour|et sur|et avec|et si|et à|et a|pareil pour|même chose pour|idem pour|can you (?:put|do|make) (?:that|it|this)|put (?:that|it) in|now in|in the)\b/i;
const FOLLOW_UP_END = /\b(?:then|tho|though|instead|too)\s*[?.!]*$/i;
const BACK_REFERENCE = /\b(?:that|it|this|same|ça|cela|le même|la même)\b/i;
const LONGER_BACK_REFERENCE =
  /\b(?:for|with|on|to|about|in|into) (?:that|it|this|them|those)\s*[?.!]*$|\b(?:make|get|keep|have|turn) (?:it|that|this|them) (?:more|less|sound|\w+er)\b/i;

/** True for a message that only makes sense after the previous question. */
export function isFollowUp(message: string): boolean {
  const m = message.trim();
  const words = m.split(/\s+/).length;
  if (FOLLOW_UP_START.test(m) && words <= 10) return true;
  if (FOLLOW_UP_END.test(m) && words <= 10) return true;
  if (words <= 6 && BACK_REFERENCE.test(m)) return true;
  // "what mic should I use for that", "how do I make it brighter": a longer question that points back.
  return words <= 10 && LONGER_BACK_REFERENCE.test(m);
}

const TEMPO = /\b(\d{2,3}(?:\.\d+)?)(?: ?bpm)?\b/;
const TEMPO_IN_PREVIOUS =
  /(?:\bat |@ |(?<=\s)à )?(?<![\d.])\d{2,3}(?:\.\d+)?(?: ?bpm)?\b(?! ?(?:hz|khz|ms|db|bars?|mesures|seconds?|s\b))/;
const NOTE_VALUE =
  /\b(?:dotted |pointée? )?(?:whole|half|quarter|eighth|sixteenth|thirty[- ]second|8th|16th|32nd|1\/(?:1|2|4|8|16|32)|noire|croche|double croche|blanche)(?: notes?)?(?: triplets?| pointée?| triolets?)?\b/i;
const PLATFORM =
  /\b(?:spotify|apple music|youtube|tidal|amazon(?: music)?|deezer|soundcloud|bandcamp|cd|vinyl|club|podcast|broadcast|radio|tiktok|instagram)\b/i;
const GENRE =
  /\b(?:house|deep house|tech house|techno|trance|drum and bass|dnb|dubstep|trap|boom bap|lo-?fi|pop|rock|metal|indie|funk|disco|r&b|rnb|soul|jazz|reggae|reggaeton|afrobeats?|amapiano|ambient|synthwave|uk garage|garage|drill|uk drill|country|big room|future bass|hardstyle|phonk|hip hop)\b/i;
const KEY = /\b(?:in |en )?([a-g](?:#|b|♯|♭)?)(?: (major|minor|maj|min|majeur|mineur))?\b(?=\s*[?.!]*$)/i;

function replaceSlot(previous: string, follow: string, slot: RegExp): string | undefined {
  const m = slot.exec(follow);
  if (!m || !slot.test(previous)) return undefined;
  return previous.replace(slot, m[0]);
}

/** The major or minor key a minor or major key is relative to, as a key name ("E minor" -> "G major"). */
function relativeOf(previous: string): string | undefined {
  const m = /\b([a-g](?:#|b)?) ?(major|minor|m)\b/i.exec(previous);
  if (!m) return undefined;
  const names = ['c', 'c#', 'd', 'eb', 'e', 'f', 'f#', 'g', 'ab', 'a', 'bb', 'b'];
  const flats: Record<string, string> = { db: 'c#', 'd#': 'eb', gb: 'f#', 'g#': 'ab', 'a#': 'bb' };
  const root = m[1]!.toLowerCase();
  const pc = names.indexOf(flats[root] ?? root);
  if (pc < 0) return undefined;
  const minor = /^(?:minor|m)$/i.test(m[2]!);
  const target = names[(pc + (minor ? 3 : 9)) % 12]!;
  return `${target.charAt(0).toUpperCase()}${target.slice(1)} ${minor ? 'major' : 'minor'}`;
}

/** The question a follow-up asks, given the (already resolved) previous question. */
export function resolveFollowUp(previous: string, followUp: string): string {
  const follow = followUp
    .trim()
    .replace(FOLLOW_UP_START, '')
    .replace(FOLLOW_UP_END, '')
    .replace(/[?!.]+\s*$/, '')
    .trim();
  const lower = follow.toLowerCase();
  if (/\brelative (?:major|minor)\b|\brelatif\b/.test(lower)) {
    const relative = relativeOf(previous);
    if (relative) return previous.replace(/\b[a-g](?:#|b)? ?(?:major|minor|m)\b/i, relative);
  }
  for (const slot of [NOTE_VALUE, PLATFORM, GENRE]) {
    const replaced = replaceSlot(previous, follow, slot);
    if (replaced) return replaced;
  }
  const tempo = TEMPO.exec(follow);
  if (
    tempo &&
    Number(tempo[1]) >= 40 &&
    Number(tempo[1]) <= 300 &&
    TEMPO_IN_PREVIOUS.test(previous) &&
    !/\b(?:bars?|minutes?|seconds?)\b/.test(lower)
  ) {
    return previous.replace(TEMPO_IN_PREVIOUS, `at ${tempo[1]} bpm`);
  }
  // A question of its own that lacks the tempo the conversation set: "how many bars to reach 3 minutes then".
  const previousTempo = /\b(?:at |@ )?(\d{2,3}(?:\.\d+)?) ?(?:bpm)?\b(?! ?(?:hz|khz|ms|db|bars?|seconds?|s\b))/.exec(
    previous.replace(/\b\d+ (?:bars?|beats?|measures?)\b/g, ''),
  );
  if (/^(?:how many|how long|what|combien)\b/.test(lower) && !tempo && previousTempo)
    return `${follow} at ${previousTempo[1]} bpm`;
  const key = KEY.exec(follow);
  if (key && /\b(?:chords?|progression|scale|key|notes|accords?|relative|parallel|major|minor)\b/i.test(previous)) {
    // The key the previous question named, with its own mode: "relative minor of C major" + "and of G?" is G major.
    const KEY_IN_PREVIOUS =
      /\b((?:in|en|of|the key of) )?(?:the key of )?([a-g](?:#|b)?)(?: ?(major|minor|m))?\b(?=[^a-z]*$)|\b(in )([a-g](?:#|b)?) ?(major|minor)\b/i;
    const before = KEY_IN_PREVIOUS.exec(previous);
    const previousMode = before?.[3] ?? before?.[6];
    const mode = key[2]
      ? /^min|mineur/i.test(key[2])
        ? 'minor'
        : 'major'
      : previousMode
        ? /^(?:minor|m)$/i.test(previousMode)
          ? 'minor'
          : 'major'
        : /\bminor\b/i.test(previous)
          ? 'minor'
          : 'major';
    return previous.replace(
      KEY_IN_PREVIOUS,
      (_m, prefix?: string, _r?: string, _mo?: string, inPrefix?: string) =>
        `${prefix ?? inPrefix ?? 'in '}${key[1]!.toUpperCase()}${key[1]!.slice(1)} ${mode}`,
    );
  }
  // A new subject replaces the old one: "how should I compress vocals" + "and on the bass?" -> compress the bass.
  const newSubjects = facetsOf(follow).subject;
  if (newSubjects.size) {
    let kept = previous;
    for (const s of facetsOf(previous).subject) kept = kept.replace(new RegExp(SUBJECTS[s]!.source, 'gi'), ' ');
    return `${kept.replace(/\s+/g, ' ').trim()} ${follow}`.trim();
  }
  return `${previous} ${follow}`.trim();
}

/** Resolves every user turn in order, so a follow-up of a follow-up keeps the whole question. */
export function resolveConversation(turns: readonly string[], message: string): string {
  let resolved: string | undefined;
  for (const turn of [...turns, message])
    resolved = resolved !== undefined && isFollowUp(turn) ? resolveFollowUp(resolved, turn) : turn;
  return resolved ?? message;
}
