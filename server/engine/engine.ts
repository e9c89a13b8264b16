import type { KnowledgeEntry } from '../../shared/schemas/knowledge';
import { SynonymExpander } from './retrieval/synonyms';
import { stem } from './retrieval/terms';

/** What the chat engine loads once: the synonym groups and the words that name a subject (kick, vocal, pad…). */
export interface EngineData {
  synonyms: SynonymExpander;
  subjectStems: ReadonlySet<string>;
}

/** Entries of these categories are written per source, so their topics name instruments and voices. */
const PER_SOURCE = new Set(['eq', 'compression', 'recording']);
const PROCESS_WORDS = new Set(
  'and the of in for a to on with mix mixing sound general eq equalizer compression compressor compressing reverb delay bus gain level levels mic mics miking recording tracking placement technique settings'.split(' '),
);

export function loadEngineData(knowledge: readonly KnowledgeEntry[]): EngineData {
  const subjectStems = new Set<string>();
  for (const entry of knowledge) {
    if (!PER_SOURCE.has(entry.category)) continue;
    for (const w of entry.topic.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) if (!PROCESS_WORDS.has(w)) subjectStems.add(stem(w));
  }
  return { synonyms: SynonymExpander.load(), subjectStems };
}
