/**
 * How much of what the question names is in an entry's title: an entry titled "WAV vs FLAC vs MP3" answers "difference
 * between wav and flac" better than one that mentions both in its body. Each question term is weighted by how few of
 * the candidate titles hold it, so "wav" and "flac" count and "sound" or "better" barely do.
 */
import { contentTerms, stem } from './terms';

/** Words of manner and degree: rare in titles, but they name nothing ("even with the gain low", "still muddy"). */
const NOT_A_SUBJECT = new Set(
  'even tho though still other than actually always never every sometimes something anything nothing kind sort way'
    .split(' ')
    .map(stem),
);

/** For each candidate title (same order), the weighted share 0..1 of the question's terms it holds. */
export function titleMatches(question: string, titles: readonly string[]): number[] {
  const asked = contentTerms(question).filter((t) => !NOT_A_SUBJECT.has(t));
  if (asked.length === 0 || titles.length === 0) return titles.map(() => 0);
  const held = titles.map((title) => new Set(contentTerms(title)));
  const df = new Map(asked.map((t) => [t, held.filter((h) => h.has(t)).length]));
  // A term in no candidate title cannot tell them apart; one in every title barely can.
  const weight = (t: string) => (df.get(t) ? Math.log(1 + titles.length / df.get(t)!) : 0);
  const total = asked.reduce((sum, t) => sum + weight(t), 0);
  if (total === 0) return titles.map(() => 0);
  return held.map((h) => asked.reduce((sum, t) => sum + (h.has(t) ? weight(t) : 0), 0) / total);
}
