/**
 * A production question understood and matched: the words it searches with, its facets, whether it is about music
 * at all, the ranked entries, and how likely the best entry answers it (calibrated on the blind dev half).
 */
import type { CodetteStore } from '../../store/types';
import type { EngineData } from '../engine';
import { rankKnowledge, type Ranking } from '../retrieval/rank';
import { checkDomain } from './domain';
import { type Facets, facetsOf } from './facets';
import type { Lang } from './language';
import { searchText } from './question-text';

export interface FoundKnowledge {
  text: string;
  facets: Facets;
  ranking: Ranking;
  /** Not about music production: Codette says what it can help with instead. */
  declined: boolean;
  /** The best entry is trusted as an answer. */
  answerable: boolean;
  /** Probability that the reply is useful (or, for a decline, that declining is right). */
  confidence: number;
  bpm?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round2 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;

/**
 * The answer's chance of being useful from what the ranking saw. Weights fitted by logistic regression on the dev
 * half's mechanical outcomes (server/eval, `npm run eval`); the test half was never used for them.
 */
export const CALIBRATION = { bias: -2.2, coverage: 2.6, subject: 0.9, process: 0.8, problem: 0.5, wrongSubject: -1.0, domain: 1.0, questionFacets: 0.2 };
export const ANSWERABLE_AT = 0.3;

function usefulChance(ranking: Ranking, facets: Facets, domainStrength: number): number {
  const top = ranking.ranked[0];
  if (!top) return 0.05;
  const c = CALIBRATION;
  const asked = Math.min(3, facets.subject.size + facets.process.size + facets.problem.size);
  return sigmoid(
    c.bias + c.coverage * ranking.coverage + c.subject * +top.subject + c.process * +top.process + c.problem * +top.problem + c.wrongSubject * +top.wrongSubject + c.domain * domainStrength + c.questionFacets * asked,
  );
}

const TEMPO_IN_QUESTION = /\b(\d{2,3}(?:\.\d+)?) ?bpm\b|\b(?:at|@) (\d{2,3})\b(?! ?(?:hz|khz|ms|%|db|bars?|seconds?|s\b))/;

export async function findKnowledge(store: Pick<CodetteStore, 'searchKnowledge'>, engine: EngineData, question: string, lang: Lang): Promise<FoundKnowledge> {
  const text = searchText(question, lang, lang === 'en' ? engine.vocabulary : undefined);
  const facets = facetsOf(text);
  const domain = checkDomain(text, facets, engine.domainTerms, question);
  const ranking = await rankKnowledge(store, engine.synonyms, text, facets, 5);
  const tempo = TEMPO_IN_QUESTION.exec(text.toLowerCase());
  const bpm = tempo ? Number(tempo[1] ?? tempo[2]) : undefined;
  if (!domain.inDomain) {
    return { text, facets, ranking, declined: true, answerable: false, confidence: round2(0.95 - 0.3 * domain.strength), ...(bpm ? { bpm } : {}) };
  }
  const chance = usefulChance(ranking, facets, domain.strength);
  const answerable = chance >= ANSWERABLE_AT;
  return { text, facets, ranking, declined: false, answerable, confidence: round2(answerable ? chance : 0.3), ...(bpm && bpm >= 40 && bpm <= 300 ? { bpm } : {}) };
}
