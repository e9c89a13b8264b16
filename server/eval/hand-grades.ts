/** Hand grades of dev answers (server/eval/hand-graded.jsonl): the reply as it was read, and its grade 0-2. */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ChatResponse } from '../../shared/schemas/chat';
import { checkReply } from './checks';
import type { EvalQuestion } from './eval-set';
import { agreement } from './metrics';

export const HandGrade = z.object({
  question: z.string(),
  reply: ChatResponse.pick({ response: true, follow_ups: true, actions: true, sources: true, confidence: true }),
  /** 2 = useful, correct and specific to this question; 1 = partly; 0 = not useful or wrong. */
  grade: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  note: z.string().optional(),
});
export type HandGrade = z.infer<typeof HandGrade>;

export function loadHandGrades(path: string): HandGrade[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => HandGrade.parse(JSON.parse(l)));
}

/** How often the mechanical check (applied to the very reply that was graded) says what the grader said (grade 2 = useful). */
export function handAgreement(grades: readonly HandGrade[], questions: readonly EvalQuestion[]) {
  const byText = new Map(questions.map((q) => [q.question, q]));
  const pairs: { a: boolean; b: boolean; question: string }[] = [];
  for (const g of grades) {
    const q = byText.get(g.question);
    if (!q) continue;
    pairs.push({ a: checkReply(q, g.reply).pass, b: g.grade === 2, question: g.question });
  }
  return { n: pairs.length, ...agreement(pairs), disagreements: pairs.filter((p) => p.a !== p.b) };
}
