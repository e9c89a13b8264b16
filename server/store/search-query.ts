/**
 * The words of a musician's free-text question that the embedded store searches for, with the same meaning as
 * the PostgreSQL function codette_search_knowledge: match ANY word (English stop words dropped), and rank entries
 * that match ALL words higher (server/store/knowledge-index.ts).
 */

// PostgreSQL's english stop-word list (snowball), so both engines drop the same words.
const STOP_WORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself ' +
    'it its itself they them their theirs themselves what which who whom this that these those am is are was were be ' +
    'been being have has had having do does did doing a an the and but if or because as until while of at by for with ' +
    'about against between into through during before after above below to from up down in out on off over under again ' +
    'further then once here there when where why how all any both each few more most other some such no nor not only own ' +
    'same so than too very s t can will just don should now'
  ).split(' '),
);

export const MAX_QUERY_TERMS = 32;

export function queryTerms(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text
    .toLowerCase()
    .normalize('NFKC')
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (STOP_WORDS.has(w) || seen.has(w)) continue;
    seen.add(w);
    if (seen.size >= MAX_QUERY_TERMS) break;
  }
  return [...seen];
}
