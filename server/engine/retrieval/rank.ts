/**
 * Ranks knowledge for a question by what it is about, not only by shared words: candidates come from the
 * store's full-text search (the words as asked, with synonyms, and the question's facets by name), then an entry
 * whose subject and process match the question's rises above one that only shares words.
 */
import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import type { CodetteStore } from '../../store/types';
import { CONTEXT_SUBJECTS, type Facets, PROBLEM_PROCESS, SUBJECT_FAMILY, facetsOf } from '../understand/facets';
import type { SynonymExpander } from './synonyms';
import { contentTerms } from './terms';
import { titleMatches } from './title-match';

export interface RankedHit {
  hit: KnowledgeHit;
  score: number;
  subject: boolean;
  process: boolean;
  problem: boolean;
  /** The entry is about another instrument than the one asked about. */
  wrongSubject: boolean;
}

export interface Ranking {
  ranked: RankedHit[];
  /** Share of the question's content words the best entry holds (synonyms count), 0..1. */
  coverage: number;
}

const CATEGORY_PROCESS: Record<string, string[]> = {
  eq: ['eq'],
  compression: ['compression'],
  reverb_delay: [],
  gain_staging: ['gain'],
  mastering: ['mastering'],
  stereo_imaging: ['stereo'],
  mix_problems: [],
  recording: ['recording'],
  arrangement: ['arrangement'],
  sound_design: ['sound_design'],
  music_theory: ['theory'],
  rhythm_groove: ['rhythm'],
  genres: [],
  ear_training: ['ear_training'],
  workflow: ['workflow'],
  web_daw: ['web_daw'],
};

const related = (a: string, b: string) => a === b || SUBJECT_FAMILY[a] === b || SUBJECT_FAMILY[b] === a;

export interface EntryFacets extends Facets {
  /** Problems the body talks about: weaker evidence than the title's. */
  bodyProblem: Set<string>;
}

type EntrySource = Pick<KnowledgeHit, 'id' | 'title' | 'topic' | 'tags' | 'category' | 'body'>;

/**
 * A value computed once per knowledge entry and reused by every question: remembered for the entry object itself
 * (the engine's entries) and by id for the search's hits (new objects over the same texts), checked against the
 * entry's texts so that an edited entry is computed again.
 */
function perEntry<T>(compute: (entry: EntrySource) => T): (entry: EntrySource) => T {
  const byObject = new WeakMap<object, T>();
  const byId = new Map<string, { from: EntrySource; value: T }>();
  return (entry) => {
    const known = byObject.get(entry);
    if (known !== undefined) return known;
    const cached = byId.get(entry.id);
    if (cached && sameTexts(cached.from, entry)) {
      // The next hit of the same search index then shares these very strings: compared by reference.
      cached.from = entry;
      return cached.value;
    }
    const value = compute(entry);
    if (byId.size > 10_000) byId.clear();
    byId.set(entry.id, { from: entry, value });
    byObject.set(entry, value);
    return value;
  };
}

function sameTexts(a: EntrySource, b: EntrySource): boolean {
  if (a.title !== b.title || a.topic !== b.topic || a.category !== b.category || a.body !== b.body) return false;
  if (a.tags === b.tags) return true;
  return a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

/** An entry's facets from its title, topic, tags and id; its category gives its process. Computed once per entry. */
export const entryFacets: (hit: EntrySource) => EntryFacets = perEntry(facetsOfEntry);

function facetsOfEntry(hit: EntrySource): EntryFacets {
  const named = facetsOf(`${hit.title} ${hit.topic} ${hit.id.replace(/[.-]/g, ' ')}`);
  const tagged = facetsOf(hit.tags.join(' '));
  const fromCategory = CATEGORY_PROCESS[hit.category] ?? [];
  return {
    subject: named.subject.size ? named.subject : tagged.subject,
    // A genre entry mentions sidechain or EQ in passing: only its title and topic give it a process.
    process: new Set(
      fromCategory.length
        ? [
            ...fromCategory,
            ...[...named.process].filter((p) => (p !== 'eq' && p !== 'compression' ? true : fromCategory.includes(p))),
          ]
        : hit.category === 'genres'
          ? named.process
          : [...named.process, ...tagged.process],
    ),
    problem: new Set([...named.problem, ...tagged.problem]),
    bodyProblem: facetsOf(hit.body).problem,
  };
}

/** The content terms of an entry's whole text, for coverage: computed once per entry. */
const entryTerms = perEntry(
  (hit) => new Set(contentTerms(`${hit.title} ${hit.topic} ${hit.tags.join(' ')} ${hit.body}`)),
);

/** Whether the two sets share an element; allocates nothing (it runs for every candidate of every question). */
function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** An entry's subjects that name an instrument (not a platform or a genre), computed once per entry. */
const heldSubjects = perEntry((e) => [...entryFacets(e).subject].filter((x) => !CONTEXT_SUBJECTS.has(x)));

const CANDIDATES = 30;
/** Weight of the title match against the words' score (x2) and the facet bonuses. */
const TITLE_WEIGHT = 0.6;
/** A problem with how something sounds is an engineering question, not one of theory, rhythm or genre. */
const SOUND_PROBLEMS = new Set([
  'thin',
  'muddy',
  'boxy',
  'harsh',
  'sibilant',
  'dull',
  'punch',
  'buried',
  'too_loud',
  'width',
]);
const ENGINEERING = new Set([
  'eq',
  'compression',
  'reverb_delay',
  'gain_staging',
  'mastering',
  'stereo_imaging',
  'mix_problems',
  'recording',
  'sound_design',
]);

export async function rankKnowledge(
  store: Pick<CodetteStore, 'searchKnowledge'>,
  synonyms: SynonymExpander,
  text: string,
  facets: Facets,
  limit = 5,
): Promise<Ranking> {
  const extra = synonyms.expansions(text);
  const facetQuery = [...facets.subject, ...facets.process, ...facets.problem].join(' ').replace(/_/g, ' ');
  const [literal, expanded, byFacet] = await Promise.all([
    store.searchKnowledge(text, { limit: CANDIDATES }),
    extra.length ? store.searchKnowledge(`${text} ${extra.join(' ')}`, { limit: CANDIDATES }) : Promise.resolve([]),
    facetQuery ? store.searchKnowledge(facetQuery, { limit: CANDIDATES }) : Promise.resolve([]),
  ]);
  const words = new Map<string, { words: number; hit: KnowledgeHit }>();
  const add = (list: KnowledgeHit[], weight: number) =>
    list.forEach((hit) => {
      const e = words.get(hit.id) ?? { words: 0, hit };
      e.words = Math.max(e.words, hit.score * weight);
      words.set(hit.id, e);
    });
  add(literal, 1);
  add(expanded, 0.9);
  add(byFacet, 0.6);
  const ranked: RankedHit[] = [];
  // A problem implies its usual process when none is named: "my snare is too boomy" is answered with EQ first.
  const implied = facets.process.size
    ? new Set<string>()
    : new Set([...facets.problem].flatMap((p) => PROBLEM_PROCESS[p] ?? []));
  const soundProblem = [...facets.problem].some((p) => SOUND_PROBLEMS.has(p));
  const asked = [...facets.subject].filter((q) => !CONTEXT_SUBJECTS.has(q));
  const askedContext = [...facets.subject].filter((q) => CONTEXT_SUBJECTS.has(q));
  for (const { words: w, hit } of words.values()) {
    const e = entryFacets(hit);
    const held = heldSubjects(hit);
    const matchedSubjects = asked.filter((q) => held.some((x) => related(q, x)));
    const exactSubjects = asked.filter((q) => e.subject.has(q));
    const contextMatch = askedContext.some((q) => e.subject.has(q));
    const subject = matchedSubjects.length > 0 || contextMatch;
    const wrongSubject = asked.length > 0 && held.length > 0 && matchedSubjects.length === 0;
    // An entry about many instruments answers one of them less directly than an entry about that one.
    const extraSubjects = matchedSubjects.length ? held.filter((x) => !asked.some((q) => related(q, x))).length : 0;
    const process = intersects(facets.process, e.process);
    const wrongProcess = facets.process.size > 0 && e.process.size > 0 && !process;
    const impliedProcess = intersects(implied, e.process);
    const problem = intersects(facets.problem, e.problem);
    const problemInBody = !problem && ENGINEERING.has(hit.category) && intersects(facets.problem, e.bodyProblem);
    const offField = soundProblem && !ENGINEERING.has(hit.category) && !process;
    const subjectScore =
      (matchedSubjects.length
        ? 0.3 +
          0.3 * (exactSubjects.length / asked.length) +
          0.2 * ((matchedSubjects.length - 1) / Math.max(1, asked.length))
        : 0) + (contextMatch ? 0.3 : 0);
    // The words' score counts twice, against the facet bonuses: chosen on the dev half and the entry-worded retrieval set.
    const score =
      w * 2 +
      subjectScore -
      0.1 * Math.min(extraSubjects, 3) -
      (wrongSubject ? 0.6 : 0) +
      (process ? 0.5 : 0) -
      (wrongProcess ? 0.25 : 0) +
      (impliedProcess ? 0.35 : 0) +
      (problem ? 0.45 : problemInBody ? 0.2 : 0) -
      (offField ? 0.25 : 0);
    ranked.push({ hit, score, subject, process: process || impliedProcess, problem, wrongSubject });
  }
  // What the question names, found in an entry's title (title-match.ts).
  titleMatches(
    text,
    ranked.map((r) => r.hit.title),
  ).forEach((share, i) => (ranked[i]!.score += TITLE_WEIGHT * share));
  ranked.sort((a, b) => b.score - a.score || a.hit.id.localeCompare(b.hit.id));
  const top = ranked.slice(0, limit);
  return { ranked: top, coverage: top[0] ? coverage(text, extra, top[0].hit) : 0 };
}

function coverage(question: string, extra: string[], hit: KnowledgeHit): number {
  const asked = contentTerms(question);
  if (asked.length === 0) return 0;
  const terms = entryTerms(hit);
  const covered = asked.filter((t) => terms.has(t)).length;
  const viaSynonym = contentTerms(extra.join(' ')).some((t) => terms.has(t)) ? 1 : 0;
  return Math.min(1, (covered + viaSynonym) / asked.length);
}
