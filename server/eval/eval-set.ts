/** The blind evaluation set (server/eval/blind/*.jsonl, schema in blind/schema.ts): one question per line with its checks. */
import { readFileSync } from 'node:fs';
import { BlindItem } from './blind/schema';

export type EvalQuestion = BlindItem;

export function loadEvalSet(path: string): EvalQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      const parsed = BlindItem.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new Error(
          `${path}:${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data;
    });
}
