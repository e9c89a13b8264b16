/** Detects a calculation request in a chat message and answers it with exact numbers and short markdown. */
import { PITCH_CALCULATORS } from './calc-pitch';
import { TEMPO_CALCULATORS } from './calc-tempo';
import { THEORY_CALCULATORS } from './calc-theory';
import type { CalculationAnswer } from './calculation-types';

export type { CalculationAnswer, CalculationValue } from './calculation-types';

/** Theory first (chord symbols and key names carry no numbers to confuse), then tempo, then pitch. */
const CALCULATORS = [...THEORY_CALCULATORS, ...TEMPO_CALCULATORS, ...PITCH_CALCULATORS];

/** The answer to a calculation request, or undefined when the message asks for none. */
export function answerCalculation(text: string): CalculationAnswer | undefined {
  if (text.length > 400) return undefined;
  const original = text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
  const lower = original.toLowerCase();
  for (const calculate of CALCULATORS) {
    const answer = calculate(lower, original);
    if (answer) return answer;
  }
  return undefined;
}
