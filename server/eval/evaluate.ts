/** Runs a blind half through the real chat path and scores it. Used by `npm run eval` and by the eval test. */
import type { ChatResponse } from '../../shared/schemas/chat';
import { checkReply } from './checks';
import type { EvalQuestion } from './eval-set';
import type { EvalHarness } from './harness';
import { expectedCalibrationError, percentile, share } from './metrics';

export interface QuestionOutcome {
  question: EvalQuestion;
  reply: ChatResponse;
  pass: boolean;
  reasons: string[];
  ms: number;
}

export interface HalfSummary {
  total: number;
  useful: number;
  commands: { pass: number; total: number };
  declines: { pass: number; total: number };
  /** Every other kind: advice, calculations, follow-ups. */
  answers: { pass: number; total: number };
  ece: number;
  p50: number;
  p99: number;
  outcomes: QuestionOutcome[];
}

export async function evaluateHalf(harness: EvalHarness, questions: readonly EvalQuestion[]): Promise<HalfSummary> {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const { reply, ms } = await harness.ask(question.question, {
      history: (question.history ?? []).map((turn) => turn.text),
      ...(question.daw_context ? { daw_context: question.daw_context } : {}),
    });
    const { pass, reasons } = checkReply(question, reply);
    outcomes.push({ question, reply, pass, reasons, ms });
  }
  const count = (kinds: string[]) => {
    const of = outcomes.filter((o) => kinds.includes(o.question.kind));
    return { pass: of.filter((o) => o.pass).length, total: of.length };
  };
  return {
    total: outcomes.length,
    useful: share(outcomes.filter((o) => o.pass).length, outcomes.length),
    commands: count(['command']),
    declines: count(['decline']),
    answers: count(['advice', 'calc', 'followup']),
    ece: expectedCalibrationError(outcomes.map((o) => ({ pass: o.pass, confidence: o.reply.confidence }))),
    p50: percentile(
      outcomes.map((o) => o.ms),
      50,
    ),
    p99: percentile(
      outcomes.map((o) => o.ms),
      99,
    ),
    outcomes,
  };
}
