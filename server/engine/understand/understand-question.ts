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
  /** 0..1: how clearly the question is about music production. */
  domainStrength: number;
  bpm?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round2 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;

/** What the ranking saw, as the calibration's inputs (see CALIBRATION). */
export function confidenceFeatures(ranking: Ranking, facets: Facets, domainStrength: number): number[] {
  const [top, second] = ranking.ranked;
  if (!top) return [0, 0, 0, 0, 0, 0, 0, 0];
  const asked = Math.min(3, facets.subject.size + facets.process.size + facets.problem.size) / 3;
  const margin = Math.min(1, Math.max(0, top.score - (second?.score ?? 0)));
  return [ranking.coverage, +top.subject, +top.process, +top.problem, +top.wrongSubject, domainStrength, asked, margin];
}

/**
 * Weights (bias first, then one per feature of confidenceFeatures) of a logistic regression fitted by
 * `npx tsx server/eval/fit-calibration.ts dev2.jsonl` on the second development half's outcomes, with the engine as it
 * was when dev2 arrived and before anything was tuned on it (commit 53a735d): questions the engine had never been
 * fitted to, as a user's are. Fitted on the tuned dev half instead, confidence promised dev's pass rate (~0.9) and was
 * off by 0.12 on the held-out test half. Regularisation by 5-fold cross-validation; the test half was never used.
 */
export const CALIBRATION = [-0.57, 1.59, -0.21, -0.22, 0.46, -0.44, 0.26, -0.23, 1.42];
/** Below this chance the best entry is not offered as the answer. */
export const ANSWERABLE_AT = 0.3;

export function usefulChance(features: readonly number[], weights: readonly number[] = CALIBRATION): number {
  return sigmoid(features.reduce((sum, x, i) => sum + x * (weights[i + 1] ?? 0), weights[0] ?? 0));
}

const TEMPO_IN_QUESTION =
  /\b(\d{2,3}(?:\.\d+)?) ?bpm\b|\b(?:at|@) (\d{2,3})\b(?! ?(?:hz|khz|ms|%|db|bars?|seconds?|s\b))/;

export async function findKnowledge(
  store: Pick<CodetteStore, 'searchKnowledge'>,
  engine: EngineData,
  question: string,
  lang: Lang,
): Promise<FoundKnowledge> {
  const text = searchText(question, lang, lang === 'en' ? engine.vocabulary : undefined);
  const facets = facetsOf(text);
  const domain = checkDomain(text, facets, engine.domainTerms, question);
  const ranking = await rankKnowledge(store, engine.synonyms, text, facets, 5);
  const tempo = TEMPO_IN_QUESTION.exec(text.toLowerCase());
  const bpm = tempo ? Number(tempo[1] ?? tempo[2]) : undefined;
  if (!domain.inDomain) {
    return {
      text,
      facets,
      ranking,
      declined: true,
      answerable: false,
      confidence: round2(0.95 - 0.3 * domain.strength),
      domainStrength: domain.strength,
      ...(bpm ? { bpm } : {}),
    };
  }
  const chance = ranking.ranked.length ? usefulChance(confidenceFeatures(ranking, facets, domain.strength)) : 0.05;
  const answerable = chance >= ANSWERABLE_AT;
  return {
    text,
    facets,
    ranking,
    declined: false,
    answerable,
    confidence: round2(chance),
    domainStrength: domain.strength,
    ...(bpm && bpm >= 40 && bpm <= 300 ? { bpm } : {}),
  };
}
