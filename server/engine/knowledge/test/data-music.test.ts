import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KnowledgeFile,
  RetrievalCase,
  SynonymGroups,
  type KnowledgeCategory,
  type KnowledgeEntry,
} from '../../../../shared/schemas/knowledge';

const knowledgeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(knowledgeDir, 'data');

/** The music half of the knowledge base: category, id prefix and minimum number of entries. */
const MUSIC_FILES: { category: KnowledgeCategory; prefix: string; min: number }[] = [
  { category: 'arrangement', prefix: 'arr', min: 20 },
  { category: 'sound_design', prefix: 'sd', min: 22 },
  { category: 'music_theory', prefix: 'theory', min: 30 },
  { category: 'rhythm_groove', prefix: 'rhythm', min: 15 },
  { category: 'genres', prefix: 'genre', min: 25 },
  { category: 'ear_training', prefix: 'ear', min: 10 },
  { category: 'workflow', prefix: 'flow', min: 15 },
  { category: 'web_daw', prefix: 'webdaw', min: 12 },
];

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function loadMusicFile(category: KnowledgeCategory): KnowledgeEntry[] {
  return KnowledgeFile.parse(readJson(join(dataDir, `${category}.json`)));
}

/** Every id of every data file in the folder, including the files of the other half of the knowledge base. */
function allIds(): string[] {
  const ids: string[] = [];
  for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
    const entries = readJson(join(dataDir, name));
    if (!Array.isArray(entries)) throw new Error(`${name} is not a JSON array`);
    for (const entry of entries) {
      const id = (entry as { id?: unknown }).id;
      if (typeof id !== 'string') throw new Error(`${name} has an entry without a string id`);
      ids.push(id);
    }
  }
  return ids;
}

const wordCount = (text: string): number => text.trim().split(/\s+/).length;

describe('music knowledge data files', () => {
  for (const { category, prefix, min } of MUSIC_FILES) {
    describe(category, () => {
      it('validates against KnowledgeFile and declares its own category', () => {
        const entries = loadMusicFile(category);
        for (const entry of entries) expect(entry.category, entry.id).toBe(category);
      });

      it(`has at least ${min} entries`, () => {
        expect(loadMusicFile(category).length).toBeGreaterThanOrEqual(min);
      });

      it(`prefixes every id with "${prefix}."`, () => {
        const wrong = loadMusicFile(category)
          .map((e) => e.id)
          .filter((id) => !id.startsWith(`${prefix}.`));
        expect(wrong).toEqual([]);
      });

      it('keeps bodies at 60-200 words and 3-10 tags', () => {
        const outOfRange = loadMusicFile(category)
          .filter((e) => {
            const words = wordCount(e.body);
            return words < 60 || words > 200 || e.tags.length < 3 || e.tags.length > 10;
          })
          .map((e) => e.id);
        expect(outOfRange).toEqual([]);
      });

      it('has no duplicate tags within an entry', () => {
        const dup = loadMusicFile(category)
          .filter((e) => new Set(e.tags.map((t) => t.toLowerCase())).size !== e.tags.length)
          .map((e) => e.id);
        expect(dup).toEqual([]);
      });
    });
  }

  it('uses every id only once across the whole knowledge base', () => {
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const id of allIds()) {
      if (seen.has(id)) duplicates.push(id);
      seen.add(id);
    }
    expect(duplicates).toEqual([]);
  });
});

describe('music synonyms', () => {
  it('validates as synonym groups, at least 30 of them', () => {
    const groups = SynonymGroups.parse(readJson(join(knowledgeDir, 'synonyms-music.json')));
    expect(groups.length).toBeGreaterThanOrEqual(30);
  });

  it('does not repeat a term inside a group', () => {
    const groups = SynonymGroups.parse(readJson(join(knowledgeDir, 'synonyms-music.json')));
    const repeated = groups.filter((g) => new Set(g.map((t) => t.toLowerCase())).size !== g.length);
    expect(repeated).toEqual([]);
  });
});

describe('music retrieval evaluation set', () => {
  const raw = readJson(join(knowledgeDir, 'eval', 'retrieval-music.json'));
  const cases = RetrievalCase.array().parse(raw);

  it('has at least 75 questions, each valid', () => {
    expect(cases.length).toBeGreaterThanOrEqual(75);
  });

  it('names only ids that exist in some knowledge file', () => {
    const ids = new Set(allIds());
    const missing = cases.flatMap((c) => (c.expect_ids ?? []).filter((id) => !ids.has(id)));
    expect(missing).toEqual([]);
  });

  it('asks about every music category', () => {
    const ids = new Map<string, KnowledgeCategory>();
    for (const { category } of MUSIC_FILES) for (const e of loadMusicFile(category)) ids.set(e.id, category);
    const covered = new Set<KnowledgeCategory>();
    for (const c of cases) {
      if (c.expect_category) covered.add(c.expect_category);
      for (const id of c.expect_ids ?? []) {
        const category = ids.get(id);
        if (category) covered.add(category);
      }
    }
    expect(MUSIC_FILES.map((f) => f.category).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('does not repeat a question', () => {
    const questions = cases.map((c) => c.question.trim().toLowerCase());
    expect(new Set(questions).size).toBe(questions.length);
  });
});
