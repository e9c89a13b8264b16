import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KnowledgeFile,
  RetrievalCase,
  SynonymGroups,
  type KnowledgeCategory,
  type KnowledgeEntry,
} from '../../../../shared/schemas/knowledge';

const knowledgeDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(knowledgeDir, 'data');

/** The engineering half of the knowledge base: file name, id prefix and minimum entry count per category. */
const ENGINEERING: ReadonlyArray<{ category: KnowledgeCategory; prefix: string; min: number }> = [
  { category: 'eq', prefix: 'eq.', min: 30 },
  { category: 'compression', prefix: 'comp.', min: 25 },
  { category: 'reverb_delay', prefix: 'fx.', min: 20 },
  { category: 'gain_staging', prefix: 'gain.', min: 12 },
  { category: 'mastering', prefix: 'master.', min: 20 },
  { category: 'stereo_imaging', prefix: 'stereo.', min: 12 },
  { category: 'mix_problems', prefix: 'mix.', min: 25 },
  { category: 'recording', prefix: 'rec.', min: 16 },
];

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function loadEngineeringFile(category: KnowledgeCategory): KnowledgeEntry[] {
  const parsed = KnowledgeFile.safeParse(readJson(join(dataDir, `${category}.json`)));
  if (!parsed.success) {
    throw new Error(`${category}.json does not validate: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** Every id in every knowledge data file, including the files the other half of the team writes. */
function allIdsInDataFolder(): string[] {
  const ids: string[] = [];
  for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.json')).sort()) {
    const content = readJson(join(dataDir, name));
    if (!Array.isArray(content)) throw new Error(`${name} is not a JSON array`);
    for (const item of content as unknown[]) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') throw new Error(`${name} holds an entry without a string id`);
      ids.push(id);
    }
  }
  return ids;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

const engineeringEntries = ENGINEERING.map((spec) => ({ spec, entries: loadEngineeringFile(spec.category) }));

describe('engineering knowledge files', () => {
  it.each(ENGINEERING.map((s) => [s.category, s] as const))('%s.json meets its minimum count', (_name, spec) => {
    const file = engineeringEntries.find((f) => f.spec.category === spec.category);
    expect(file?.entries.length ?? 0).toBeGreaterThanOrEqual(spec.min);
  });

  it('files entries under their own category with the category id prefix', () => {
    const wrong: string[] = [];
    for (const { spec, entries } of engineeringEntries) {
      for (const entry of entries) {
        if (entry.category !== spec.category) wrong.push(`${entry.id}: category ${entry.category} in ${spec.category}.json`);
        if (!entry.id.startsWith(spec.prefix)) wrong.push(`${entry.id}: expected prefix ${spec.prefix}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps bodies between 60 and 200 words and 3 to 10 tags', () => {
    const wrong: string[] = [];
    for (const { entries } of engineeringEntries) {
      for (const entry of entries) {
        const words = wordCount(entry.body);
        if (words < 60 || words > 200) wrong.push(`${entry.id}: ${words} words`);
        if (entry.tags.length < 3 || entry.tags.length > 10) wrong.push(`${entry.id}: ${entry.tags.length} tags`);
        if (new Set(entry.tags.map((t) => t.toLowerCase())).size !== entry.tags.length) wrong.push(`${entry.id}: duplicate tags`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives range parameters as [low, high] pairs', () => {
    const wrong: string[] = [];
    for (const { entries } of engineeringEntries) {
      for (const entry of entries) {
        for (const [key, value] of Object.entries(entry.parameters)) {
          if (!key.endsWith('_range_hz') || !Array.isArray(value)) continue;
          const [low, high] = value;
          if (value.length !== 2 || typeof low !== 'number' || typeof high !== 'number' || low >= high) {
            wrong.push(`${entry.id}.${key}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('uses ids that are unique across the whole knowledge base', () => {
    const ids = allIdsInDataFolder();
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
    for (const { entries } of engineeringEntries) {
      for (const entry of entries) expect(ids).toContain(entry.id);
    }
  });
});

describe('engineering retrieval evaluation set', () => {
  const raw = readJson(join(knowledgeDir, 'eval', 'retrieval-engineering.json'));
  const cases = Array.isArray(raw) ? (raw as unknown[]) : [];

  it('holds at least 90 valid cases', () => {
    expect(Array.isArray(raw)).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(90);
    const invalid = cases.filter((c) => !RetrievalCase.safeParse(c).success);
    expect(invalid).toEqual([]);
  });

  it('expects only ids that exist in the knowledge data folder', () => {
    const known = new Set(allIdsInDataFolder());
    const unknown = cases
      .map((c) => RetrievalCase.parse(c))
      .flatMap((c) => c.expect_ids ?? [])
      .filter((id) => !known.has(id));
    expect(unknown).toEqual([]);
  });

  it('covers every engineering category', () => {
    const parsed = cases.map((c) => RetrievalCase.parse(c));
    const uncovered = ENGINEERING.filter(
      (spec) =>
        !parsed.some(
          (c) => c.expect_category === spec.category || (c.expect_ids ?? []).some((id) => id.startsWith(spec.prefix)),
        ),
    ).map((spec) => spec.category);
    expect(uncovered).toEqual([]);
  });

  it('has no duplicate questions', () => {
    const questions = cases.map((c) => RetrievalCase.parse(c).question.trim().toLowerCase());
    expect(new Set(questions).size).toBe(questions.length);
  });
});

describe('engineering synonyms', () => {
  it('validates and holds at least 40 groups of distinct words', () => {
    const groups = SynonymGroups.parse(readJson(join(knowledgeDir, 'synonyms-engineering.json')));
    expect(groups.length).toBeGreaterThanOrEqual(40);
    const withRepeats = groups.filter((g) => new Set(g.map((w) => w.toLowerCase())).size !== g.length);
    expect(withRepeats).toEqual([]);
  });
});
