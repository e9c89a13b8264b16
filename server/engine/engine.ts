import type { KnowledgeEntry } from '../../shared/schemas/knowledge';
import { SynonymExpander } from './retrieval/synonyms';
import { stem } from './retrieval/terms';
import { Vocabulary } from './understand/question-text';
import { domainTermsOf } from './understand/domain';

/** Everyday words of questions that the entries may not contain, so that typo correction leaves them alone. */
const VOCABULARY_EXTRA =
  'my your sound sounds sounding make makes making get gets getting want wanted need needs like feel feels track tracks song songs beat beats ' +
  'thin quiet loud louder quieter muddy boxy harsh slap slaps harder punchy punch bedroom closet echo echoey taxes recipe weather';

/** What the chat engine loads once: the synonym groups and the words that name a subject (kick, vocal, pad…). */
export interface EngineData {
  synonyms: SynonymExpander;
  subjectStems: ReadonlySet<string>;
  /** The knowledge as loaded at start: follow-ups are offered only where an entry answers them. */
  entries: readonly KnowledgeEntry[];
  /** The knowledge's words, for typo correction. */
  vocabulary: Vocabulary;
  /** Words of knowledge tags and topics: evidence that a question is about music production. */
  domainTerms: ReadonlySet<string>;
}

/** Entries of these categories are written per source, so their topics name instruments and voices. */
const PER_SOURCE = new Set(['eq', 'compression', 'recording']);
const PROCESS_WORDS = new Set(
  'and the of in for a to on with mix mixing sound general eq equalizer compression compressor compressing reverb delay bus gain level levels mic mics miking recording tracking placement technique settings'.split(
    ' ',
  ),
);

export function loadEngineData(knowledge: readonly KnowledgeEntry[]): EngineData {
  const subjectStems = new Set<string>();
  for (const entry of knowledge) {
    if (!PER_SOURCE.has(entry.category)) continue;
    for (const w of entry.topic.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
      if (!PROCESS_WORDS.has(w)) subjectStems.add(stem(w));
  }
  const synonyms = SynonymExpander.load();
  const vocabulary = new Vocabulary([
    ...knowledge.map((e) => `${e.title} ${e.topic} ${e.tags.join(' ')} ${e.body}`),
    ...synonyms.phrases(),
    VOCABULARY_EXTRA,
  ]);
  return { synonyms, subjectStems, entries: knowledge, vocabulary, domainTerms: domainTermsOf(knowledge) };
}
