/** The blind evaluation set (server/eval/blind/*.jsonl): one question per line with what a good answer must hold. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DawContext } from '../../shared/schemas/chat';

const Patterns = z.array(z.string());

export const EvalQuestion = z.object({
  id: z.string().optional(),
  question: z.string().min(1),
  lang: z.string().default('en'),
  kind: z.enum(['advice', 'calc', 'command', 'decline', 'followup']),
  /** Earlier user turns of the same conversation, sent first. */
  history: z.array(z.string()).default([]),
  /** Groups of alternatives: every group must have one alternative that matches. */
  must_all: z.array(z.union([Patterns, z.string()])).default([]),
  /** Alternatives of which at least `must_any_min` must match (when both are given). */
  must_any: Patterns.optional(),
  must_any_min: z.number().int().min(0).optional(),
  must_not: Patterns.default([]),
  /** The transport command(s) a command must apply: fields compared, numbers within a small tolerance. */
  action: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]).optional(),
  daw_context: DawContext.optional(),
  /** Transport state before the question (tempo...), when it matters. */
  bpm: z.number().optional(),
}).passthrough();
export type EvalQuestion = z.infer<typeof EvalQuestion>;

export function loadEvalSet(path: string): EvalQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      const parsed = EvalQuestion.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}
