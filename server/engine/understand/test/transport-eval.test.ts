import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TransportCommand, TimeSignature } from '../../../../shared/schemas/transport';
import { classifyIntent } from '../intent';
import { parseTransportCommands, type TransportContext } from '../transport-phrases';

const evalDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'eval');
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(evalDir, name), 'utf8')) as unknown;

interface TransportCase {
  text: string;
  context?: TransportContext;
  expect: unknown[];
  problems?: string[];
}
interface IntentCase {
  text: string;
  intent: string;
  perspective?: string;
}

const DEFAULT_CONTEXT: TransportContext = {
  bpm: 120,
  time_signature: { numerator: 4, denominator: 4 },
  position_seconds: 0,
};

/** Numbers rounded to 3 decimals, so 26.6666… and 26.667 compare equal. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

const transportCases = readJson('transport-phrases.json') as TransportCase[];
const intentCases = readJson('intents.json') as IntentCase[];

describe('transport phrase evaluation set', () => {
  it('is big enough and every expected command is valid by the shared schema', () => {
    expect(transportCases.length).toBeGreaterThanOrEqual(120);
    expect(transportCases.filter((c) => c.expect.length === 0 && !c.problems).length).toBeGreaterThanOrEqual(25);
    for (const c of transportCases) {
      for (const command of c.expect) expect(TransportCommand.safeParse(command).success, c.text).toBe(true);
      if (c.context) expect(TimeSignature.safeParse(c.context.time_signature).success, c.text).toBe(true);
    }
  });

  it('parses 100% of the phrasings exactly', () => {
    const failures: string[] = [];
    for (const c of transportCases) {
      const got = parseTransportCommands(c.text, c.context ?? DEFAULT_CONTEXT);
      const sameCommands = JSON.stringify(rounded(got.commands)) === JSON.stringify(rounded(c.expect));
      const sameProblems = c.problems === undefined || JSON.stringify(got.problems) === JSON.stringify(c.problems);
      if (!sameCommands || !sameProblems) failures.push(`${JSON.stringify(c.text)} -> ${JSON.stringify(got)}`);
    }
    const score = (100 * (transportCases.length - failures.length)) / transportCases.length;
    console.log(
      `transport phrases: ${transportCases.length - failures.length}/${transportCases.length} = ${score.toFixed(1)}%`,
    );
    expect(failures).toEqual([]);
  });
});

describe('intent evaluation set', () => {
  it('classifies at least 95% of the messages right', () => {
    expect(intentCases.length).toBeGreaterThanOrEqual(100);
    const wrong = intentCases.filter((c) => classifyIntent(c.text).intent !== c.intent);
    const accuracy = (100 * (intentCases.length - wrong.length)) / intentCases.length;
    console.log(
      `intents: ${intentCases.length - wrong.length}/${intentCases.length} = ${accuracy.toFixed(1)}%`,
      wrong.map((c) => c.text),
    );
    expect(accuracy).toBeGreaterThanOrEqual(95);
  });

  it('chooses the expected perspective for at least 90% of the messages that name one', () => {
    const named = intentCases.filter((c) => c.perspective !== undefined);
    const right = named.filter((c) => classifyIntent(c.text).perspective === c.perspective).length;
    const accuracy = (100 * right) / named.length;
    console.log(`perspectives: ${right}/${named.length} = ${accuracy.toFixed(1)}%`);
    expect(named.length).toBeGreaterThanOrEqual(50);
    expect(accuracy).toBeGreaterThanOrEqual(90);
  });
});
