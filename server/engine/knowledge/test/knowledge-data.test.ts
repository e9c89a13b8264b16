/**
 * The knowledge base's data files, in two halves written apart (engineering and music): each file validates, holds
 * its category under its id prefix, in entries of a useful size; ids are unique across both halves; the synonym
 * groups and the retrieval evaluation sets are sound and cover every category.
 */
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
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')) as unknown;

interface Half {
  name: string;
  /** One data file per category: `<category>.json`, ids starting with `<prefix>.`, at least `min` entries. */
  files: { category: KnowledgeCategory; prefix: string; min: number }[];
  synonyms: { file: string; minGroups: number };
  evaluation: { file: string; minCases: number };
}

const HALVES: Half[] = [
  {
    name: 'engineering',
    files: [
      { category: 'eq', prefix: 'eq', min: 30 },
      { category: 'compression', prefix: 'comp', min: 25 },
      { category: 'reverb_delay', prefix: 'fx', min: 20 },
      { category: 'gain_staging', prefix: 'gain', min: 12 },
      { category: 'mastering', prefix: 'master', min: 20 },
      { category: 'stereo_imaging', prefix: 'stereo', min: 12 },
      { category: 'mix_problems', prefix: 'mix', min: 25 },
      { category: 'recording', prefix: 'rec', min: 16 },
    ],
    synonyms: { file: 'synonyms-engineering.json', minGroups: 40 },
    evaluation: { file: 'retrieval-engineering.json', minCases: 90 },
  },
  {
    name: 'music',
    files: [
      { category: 'arrangement', prefix: 'arr', min: 20 },
      { category: 'sound_design', prefix: 'sd', min: 22 },
      { category: 'music_theory', prefix: 'theory', min: 30 },
      { category: 'rhythm_groove', prefix: 'rhythm', min: 15 },
      { category: 'genres', prefix: 'genre', min: 25 },
      { category: 'ear_training', prefix: 'ear', min: 10 },
      { category: 'workflow', prefix: 'flow', min: 15 },
      { category: 'web_daw', prefix: 'webdaw', min: 12 },
    ],
    synonyms: { file: 'synonyms-music.json', minGroups: 30 },
    evaluation: { file: 'retrieval-music.json', minCases: 75 },
  },
];

function loadFile(category: KnowledgeCategory): KnowledgeEntry[] {
  const parsed = KnowledgeFile.safeParse(readJson(join(dataDir, `${category}.json`)));
  if (!parsed.success) throw new Error(`${category}.json does not validate: ${parsed.error.message}`);
  return parsed.data;
}

/** Every id of every data file in the folder, read without the schema (a broken file still shows its ids). */
function allIds(): string[] {
  const ids: string[] = [];
  for (const name of readdirSync(dataDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
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

const wordCount = (text: string) => text.split(/\s+/).filter((w) => w.length > 0).length;

it('uses every id once across the whole knowledge base', () => {
  const ids = allIds();
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
});

describe.each(HALVES)('$name knowledge', (half) => {
  const files = half.files.map((spec) => ({ spec, entries: loadFile(spec.category) }));

  it.each(half.files)('$category.json holds at least $min entries', (spec) => {
    expect(files.find((f) => f.spec.category === spec.category)!.entries.length).toBeGreaterThanOrEqual(spec.min);
  });

  it('files each entry under its own category with the id prefix', () => {
    const wrong: string[] = [];
    for (const { spec, entries } of files) {
      for (const e of entries) {
        if (e.category !== spec.category) wrong.push(`${e.id}: category ${e.category} in ${spec.category}.json`);
        if (!e.id.startsWith(`${spec.prefix}.`)) wrong.push(`${e.id}: expected prefix ${spec.prefix}.`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps bodies at 60-200 words and 3-10 distinct tags', () => {
    const wrong: string[] = [];
    for (const { entries } of files) {
      for (const e of entries) {
        const words = wordCount(e.body);
        if (words < 60 || words > 200) wrong.push(`${e.id}: ${words} words`);
        if (e.tags.length < 3 || e.tags.length > 10) wrong.push(`${e.id}: ${e.tags.length} tags`);
        if (new Set(e.tags.map((t) => t.toLowerCase())).size !== e.tags.length) wrong.push(`${e.id}: duplicate tags`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives range parameters as [low, high] pairs', () => {
    const wrong: string[] = [];
    for (const { entries } of files) {
      for (const e of entries) {
        for (const [key, value] of Object.entries(e.parameters)) {
          if (!key.endsWith('_range_hz') || !Array.isArray(value)) continue;
          const [low, high] = value;
          if (value.length !== 2 || typeof low !== 'number' || typeof high !== 'number' || low >= high)
            wrong.push(`${e.id}.${key}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has enough synonym groups, none repeating a term', () => {
    const groups = SynonymGroups.parse(readJson(join(knowledgeDir, half.synonyms.file)));
    expect(groups.length).toBeGreaterThanOrEqual(half.synonyms.minGroups);
    expect(groups.filter((g) => new Set(g.map((t) => t.toLowerCase())).size !== g.length)).toEqual([]);
  });

  describe('retrieval evaluation set', () => {
    const raw = readJson(join(knowledgeDir, 'eval', half.evaluation.file));
    const cases = RetrievalCase.array().parse(raw);

    it('holds enough valid questions, none twice', () => {
      expect(cases.length).toBeGreaterThanOrEqual(half.evaluation.minCases);
      const questions = cases.map((c) => c.question.trim().toLowerCase());
      expect(new Set(questions).size).toBe(questions.length);
    });

    it('expects only ids that exist', () => {
      const known = new Set(allIds());
      expect(cases.flatMap((c) => c.expect_ids ?? []).filter((id) => !known.has(id))).toEqual([]);
    });

    it('asks about every category of its half', () => {
      const categoryOf = new Map<string, KnowledgeCategory>();
      for (const { spec, entries } of files) for (const e of entries) categoryOf.set(e.id, spec.category);
      const covered = new Set<KnowledgeCategory>();
      for (const c of cases) {
        if (c.expect_category) covered.add(c.expect_category);
        for (const id of c.expect_ids ?? []) {
          const category = categoryOf.get(id);
          if (category) covered.add(category);
        }
      }
      expect(half.files.map((f) => f.category).filter((c) => !covered.has(c))).toEqual([]);
    });
  });
});
