import { stemmer } from 'stemmer';
import type { KnowledgeCategory, KnowledgeEntry } from '../../shared/schemas/knowledge';
import type { KnowledgeHit } from '../../shared/schemas/persistence';
import { queryTerms } from './search-query';

/**
 * The embedded store's knowledge search: an inverted index held in memory, rebuilt when the knowledge changes.
 *
 * The knowledge base is small (hundreds to a few thousand entries) and read on every chat message, so searching it
 * in the process is the fast path: about 20 µs a query here, where SQLite FTS5's bm25() took about 400 µs
 * (`npx tsx server/store/bench.ts`). The database stays the source of truth; this is derived from its rows.
 *
 * Ranking is BM25 over the four fields with weights title 10, tags 4, topic 2, body 1 (the ratios of PostgreSQL's
 * A/B/C/D weights, as in codette_search_knowledge): each occurrence of a term adds its field's weight to the term's
 * frequency in the entry, and that weighted frequency is saturated as BM25 does (k1 = 1.2, b = 0.75, the entry's
 * length in words against the average). An entry that contains every word of the question scores double. Words are
 * lower-cased, stripped of accents and Porter-stemmed; the question's English stop words are dropped.
 */

const FIELD_WEIGHTS = { title: 10, tags: 4, topic: 2, body: 1 } as const;
const K1 = 1.2;
const B = 0.75;
/** An idf at or below zero (a word in more than half the entries) still counts a little, never negatively. */
const MIN_IDF = 1e-6;

export interface IndexSearchOptions {
  limit: number;
  category?: KnowledgeCategory;
}

/** Lower-case, accent-free, stemmed words of a text, in order (repeats kept). `stems` remembers words already seen. */
export function indexWords(text: string, stems?: Map<string, string>): string[] {
  const out: string[] = [];
  for (const m of text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0];
    let stem = stems?.get(word);
    if (stem === undefined) {
      stem = stemmer(word);
      stems?.set(word, stem);
    }
    out.push(stem);
  }
  return out;
}

interface Posting {
  doc: number;
  /** Sum of the field weights over every occurrence of the term in this entry. */
  weighted: number;
}

export class KnowledgeIndex {
  private readonly postings = new Map<string, Posting[]>();
  /** BM25's length normalisation per entry: k1 * (1 - b + b * length / average length). */
  private readonly norm: Float64Array;
  // Scratch space reused by every search (searches are synchronous, so never shared by two at once).
  private readonly scores: Float64Array;
  private readonly matched: Uint8Array;
  private readonly touched: Int32Array;

  private constructor(private readonly entries: readonly KnowledgeEntry[]) {
    const lengths = new Float64Array(entries.length);
    const stems = new Map<string, string>();
    entries.forEach((entry, doc) => {
      const weighted = new Map<string, number>();
      let length = 0;
      const add = (text: string, weight: number) => {
        for (const word of indexWords(text, stems)) {
          weighted.set(word, (weighted.get(word) ?? 0) + weight);
          length += 1;
        }
      };
      add(entry.title, FIELD_WEIGHTS.title);
      add(entry.tags.join(' '), FIELD_WEIGHTS.tags);
      add(entry.topic, FIELD_WEIGHTS.topic);
      add(entry.body, FIELD_WEIGHTS.body);
      lengths[doc] = length;
      for (const [word, w] of weighted) {
        let list = this.postings.get(word);
        if (!list) this.postings.set(word, (list = []));
        list.push({ doc, weighted: w });
      }
    });
    const average = entries.length ? lengths.reduce((a, b) => a + b, 0) / entries.length : 1;
    this.norm = lengths.map((len) => K1 * (1 - B + (B * len) / Math.max(average, 1)));
    this.scores = new Float64Array(entries.length);
    this.matched = new Uint8Array(entries.length);
    this.touched = new Int32Array(entries.length);
  }

  static build(entries: readonly KnowledgeEntry[]): KnowledgeIndex {
    return new KnowledgeIndex(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Ranked hits, best first; score = raw / best raw of this query (best = 1). Ties go by id. */
  search(query: string, options: IndexSearchOptions): KnowledgeHit[] {
    const terms = [
      ...new Set(
        queryTerms(query)
          .map((w) => indexWords(w)[0])
          .filter((w): w is string => w !== undefined),
      ),
    ];
    if (terms.length === 0 || this.entries.length === 0) return [];
    const { scores, matched, norm } = this;
    // The documents a term of the query reached, in order of first reach: touched[0..touchedCount).
    const { touched } = this;
    let touchedCount = 0;
    const n = this.entries.length;
    for (const term of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.max(Math.log((n - list.length + 0.5) / (list.length + 0.5)), MIN_IDF);
      for (const { doc, weighted } of list) {
        if (matched[doc] === 0) touched[touchedCount++] = doc;
        matched[doc]! += 1;
        scores[doc]! += (idf * (weighted * (K1 + 1))) / (weighted + norm[doc]!);
      }
    }
    // Keep only the best `limit` (a small sorted array): cheaper than sorting every entry that matched a word.
    const limit = Math.max(1, Math.min(50, Math.trunc(options.limit)));
    const top: { doc: number; raw: number }[] = [];
    const before = (doc: number, raw: number, b: { doc: number; raw: number }) =>
      raw > b.raw || (raw === b.raw && this.entries[doc]!.id < this.entries[b.doc]!.id);
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t]!;
      const raw = scores[doc]! * (matched[doc] === terms.length ? 2 : 1);
      scores[doc] = 0;
      matched[doc] = 0;
      if (options.category && this.entries[doc]!.category !== options.category) continue;
      // Only a document that enters the top gets an object (most touched documents do not).
      if (top.length === limit && !before(doc, raw, top[limit - 1]!)) continue;
      let at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && before(doc, raw, top[at - 1]!)) {
        top[at] = top[at - 1]!;
        at -= 1;
      }
      top[at] = { doc, raw };
    }
    const best = Math.max(top[0]?.raw ?? 0, 1e-12);
    return top.map(({ doc, raw }) => {
      const e = this.entries[doc]!;
      return {
        id: e.id,
        title: e.title,
        category: e.category,
        topic: e.topic,
        body: e.body,
        parameters: e.parameters,
        tags: e.tags,
        score: Math.min(1, raw / best),
      };
    });
  }
}
