/**
 * Ranks knowledge for a question by what it is about, not only by shared words: candidates come from the
 * store's full-text search (the words as asked, with synonyms, and the question's facets by name), then an entry
 * whose subject and process match the question's rises above one that only shares words.
 */
import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import type { CodetteStore } from '../../store/types';
import { type Facets, facetsOf } from '../understand/facets';
import type { SynonymExpander } from './synonyms';
import { contentTerms } from './terms';

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

/** Drum pieces belong to the kit: a question about drums is partly answered by a kick entry, and the other way. */
const FAMILY: Record<string, string> = { kick: 'drums', snare: 'drums', hihat: 'drums', toms: 'drums', overheads: 'drums', '808': 'bass' };
const related = (a: string, b: string) => a === b || FAMILY[a] === b || FAMILY[b] === a;

const entryFacetCache = new Map<string, { key: string; facets: Facets }>();
/** An entry's facets from its title, topic, tags and id; its category gives its process. */
export function entryFacets(hit: Pick<KnowledgeHit, 'id' | 'title' | 'topic' | 'tags' | 'category'>): Facets {
  const key = `${hit.title}|${hit.topic}|${hit.tags.join(',')}`;
  const cached = entryFacetCache.get(hit.id);
  if (cached?.key === key) return cached.facets;
  const named = facetsOf(`${hit.title} ${hit.topic} ${hit.id.replace(/[.-]/g, ' ')}`);
  const tagged = facetsOf(hit.tags.join(' '));
  const fromCategory = CATEGORY_PROCESS[hit.category] ?? [];
  const facets: Facets = {
    subject: named.subject.size ? named.subject : tagged.subject,
    process: new Set(fromCategory.length ? [...fromCategory, ...[...named.process].filter((p) => p !== 'eq' && p !== 'compression' ? true : fromCategory.includes(p))] : [...named.process, ...tagged.process]),
    problem: new Set([...named.problem, ...tagged.problem]),
  };
  if (entryFacetCache.size > 10_000) entryFacetCache.clear();
  entryFacetCache.set(hit.id, { key, facets });
  return facets;
}

const intersects = (a: Set<string>, b: Set<string>, rel: (x: string, y: string) => boolean = (x, y) => x === y) => [...a].some((x) => [...b].some((y) => rel(x, y)));

const CANDIDATES = 30;

export async function rankKnowledge(store: Pick<CodetteStore, 'searchKnowledge'>, synonyms: SynonymExpander, text: string, facets: Facets, limit = 5): Promise<Ranking> {
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
  for (const { words: w, hit } of words.values()) {
    const e = entryFacets(hit);
    const subject = intersects(facets.subject, e.subject, related);
    const wrongSubject = facets.subject.size > 0 && e.subject.size > 0 && !subject;
    const process = intersects(facets.process, e.process);
    const wrongProcess = facets.process.size > 0 && e.process.size > 0 && !process;
    const problem = intersects(facets.problem, e.problem);
    const exactSubject = subject && intersects(facets.subject, e.subject);
    const score = w + (subject ? (exactSubject ? 0.6 : 0.3) : 0) - (wrongSubject ? 0.6 : 0) + (process ? 0.5 : 0) - (wrongProcess ? 0.25 : 0) + (problem ? 0.45 : 0);
    ranked.push({ hit, score, subject, process, problem, wrongSubject });
  }
  ranked.sort((a, b) => b.score - a.score || a.hit.id.localeCompare(b.hit.id));
  const top = ranked.slice(0, limit);
  return { ranked: top, coverage: top[0] ? coverage(text, extra, top[0].hit) : 0 };
}

function coverage(question: string, extra: string[], hit: KnowledgeHit): number {
  const asked = contentTerms(question);
  if (asked.length === 0) return 0;
  const entryTerms = new Set(contentTerms(`${hit.title} ${hit.topic} ${hit.tags.join(' ')} ${hit.body}`));
  const covered = asked.filter((t) => entryTerms.has(t)).length;
  const viaSynonym = contentTerms(extra.join(' ')).some((t) => entryTerms.has(t)) ? 1 : 0;
  return Math.min(1, (covered + viaSynonym) / asked.length);
}
