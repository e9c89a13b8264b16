import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import type { CodetteStore } from '../../store/types';
import type { SynonymExpander } from './synonyms';
import { contentTerms } from './terms';

export interface Retrieved {
  hits: KnowledgeHit[];
  /** How well the best hit covers what was asked, 0..1: the share of the question's subject words it contains. */
  coverage: number;
}

const CANDIDATES = 12;
/** Reciprocal-rank fusion: the literal query leads, the synonym-expanded one adds what it alone finds. */
const RRF_K = 10;
const EXPANDED_WEIGHT = 0.5;

/**
 * Finds the knowledge entries that answer a question: the store's full-text search (stemmed) of the words as
 * typed, fused with a search that adds the canonical names of the synonyms the question uses.
 */
export async function retrieve(store: Pick<CodetteStore, 'searchKnowledge'>, synonyms: SynonymExpander, question: string, limit = 3): Promise<Retrieved> {
  const extra = synonyms.expansions(question);
  const [literal, expanded] = await Promise.all([
    store.searchKnowledge(question, { limit: CANDIDATES }),
    extra.length ? store.searchKnowledge(`${question} ${extra.join(' ')}`, { limit: CANDIDATES }) : Promise.resolve([]),
  ]);
  const fused = new Map<string, { score: number; hit: KnowledgeHit }>();
  literal.forEach((hit, rank) => fused.set(hit.id, { score: 1 / (RRF_K + rank), hit }));
  expanded.forEach((hit, rank) => {
    const entry = fused.get(hit.id) ?? { score: 0, hit };
    entry.score += EXPANDED_WEIGHT / (RRF_K + rank);
    fused.set(hit.id, entry);
  });
  const hits = [...fused.values()].sort((a, b) => b.score - a.score || a.hit.id.localeCompare(b.hit.id)).slice(0, limit).map((f) => f.hit);
  return { hits, coverage: hits[0] ? coverage(question, extra, hits[0]) : 0 };
}

function coverage(question: string, extra: string[], hit: KnowledgeHit): number {
  const asked = contentTerms(question);
  if (asked.length === 0) return 0;
  const entryTerms = termsOf(hit);
  const synonymTerms = new Set(contentTerms(extra.join(' ')));
  const covered = asked.filter((t) => entryTerms.has(t)).length;
  // A word the entry lacks counts as covered when a synonym of it is in the entry.
  const viaSynonym = [...synonymTerms].some((t) => entryTerms.has(t)) ? 1 : 0;
  return Math.min(1, (covered + viaSynonym) / asked.length);
}

/**
 * The content terms of an entry, kept per id: the best hit's terms are read on every question, and an entry's text
 * changes only when the knowledge does (then the stored text differs and the terms are made again).
 */
const entryTermsCache = new Map<string, { text: string; terms: Set<string> }>();
const ENTRY_TERMS_CACHE_MAX = 5000;
function termsOf(hit: KnowledgeHit): Set<string> {
  const text = `${hit.title} ${hit.topic} ${hit.tags.join(' ')} ${hit.body}`;
  const cached = entryTermsCache.get(hit.id);
  if (cached && cached.text === text) return cached.terms;
  const terms = new Set(contentTerms(text));
  if (entryTermsCache.size >= ENTRY_TERMS_CACHE_MAX) entryTermsCache.clear();
  entryTermsCache.set(hit.id, { text, terms });
  return terms;
}
