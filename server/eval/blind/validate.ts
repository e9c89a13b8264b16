/**
 * Checks the blind evaluation set: every line parses and fits the schema, every regex compiles, ids are unique
 * across both halves, each expected command is a valid TransportCommand, and the split follows the rule in README.md.
 * Prints the counts per kind, topic and language. Exit code 1 on any problem.
 * Run: npx tsx server/eval/blind/validate.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransportCommand } from '../../../shared/schemas/transport';
import { BlindItem } from './schema';

const here = dirname(fileURLToPath(import.meta.url));
const HALVES = ['dev', 'test'] as const;
type Half = (typeof HALVES)[number];

const problems: string[] = [];
const byHalf = new Map<Half, BlindItem[]>();

for (const half of HALVES) {
  const file = `${half}.jsonl`;
  const items: BlindItem[] = [];
  const path = join(here, file);
  if (!existsSync(path)) {
    problems.push(`${file} is missing`);
    continue;
  }
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${file}:${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        problems.push(`${where}: not JSON (${(error as Error).message})`);
        return;
      }
      const parsed = BlindItem.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push(`${where}: ${issue.path.join('.') || '(item)'}: ${issue.message}`);
        return;
      }
      items.push(parsed.data);
      checkTransport(parsed.data, where);
    });
  byHalf.set(half, items);
}

function checkTransport(item: BlindItem, where: string): void {
  const expected = item.actions ?? (item.action?.type === 'transport' ? [item.action] : []);
  for (const step of expected) {
    const parsed = TransportCommand.safeParse({ action: step.command, ...step.args });
    if (!parsed.success)
      problems.push(`${where}: ${step.command} is not a valid TransportCommand: ${parsed.error.issues[0]?.message}`);
  }
}

const all = HALVES.flatMap((half) => (byHalf.get(half) ?? []).map((item) => ({ half, item })));
const seen = new Map<string, Half>();
for (const { half, item } of all) {
  const before = seen.get(item.id);
  if (before) problems.push(`id ${item.id} appears in ${before} and ${half}`);
  seen.set(item.id, half);
}

// The split rule: sort everything by (kind, lang, topic, difficulty, id); even positions are dev, odd are test.
const key = (item: BlindItem) => [item.kind, item.lang, item.topic, item.difficulty ?? '', item.id];
const sorted = [...all].sort((a, b) => compareKeys(key(a.item), key(b.item)));
sorted.forEach(({ half, item }, index) => {
  const expected: Half = index % 2 === 0 ? 'dev' : 'test';
  if (half !== expected) problems.push(`${item.id} is in ${half}, the split rule puts it in ${expected}`);
});

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function count(items: BlindItem[], field: (item: BlindItem) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(field(item), (counts.get(field(item)) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

for (const half of HALVES) {
  const items = byHalf.get(half) ?? [];
  console.log(`${half}: ${items.length} items`);
  console.log(`  kind:  ${count(items, (i) => i.kind)}`);
  console.log(`  lang:  ${count(items, (i) => i.lang)}`);
  console.log(`  hard:  ${items.filter((i) => i.difficulty === 'hard').length}`);
  console.log(`  area:  ${count(items, (i) => i.topic.split('/')[0] ?? i.topic)}`);
  console.log(`  topic: ${count(items, (i) => i.topic)}`);
}
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`\nOK: ${all.length} items, ids unique, regexes compile, commands valid, split follows the rule`);
