/** supabase/seed.sql is generated from the knowledge data files and must be up to date with them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeDir } from '../../server/store/knowledge-source';
import { renderSeed, SEED_PATH } from '../generate-seed';

describe('supabase/seed.sql', () => {
  it('is up to date with server/engine/knowledge/data (run `npx tsx supabase/generate-seed.ts` if not)', () => {
    const expected = renderSeed(loadKnowledgeDir());
    expect(
      readFileSync(SEED_PATH, 'utf8') === expected,
      'seed.sql is stale: run `npx tsx supabase/generate-seed.ts`',
    ).toBe(true);
  });

  it('renders deterministically, sorted by id, through codette_upsert_knowledge', () => {
    const a = {
      id: 'b.entry',
      topic: 'topic',
      category: 'eq' as const,
      title: 'Second title',
      body: "It's got a quote and $$ dollars".padEnd(90, '.'),
      parameters: { x: 1 },
      tags: ['t1'],
    };
    const b = { ...a, id: 'a.entry', title: 'First title' };
    const sql = renderSeed([a, b]);
    expect(sql).toBe(renderSeed([b, a]));
    expect(sql.indexOf('"a.entry"')).toBeLessThan(sql.indexOf('"b.entry"'));
    expect(sql).toContain('select public.codette_upsert_knowledge($codette_knowledge$');
  });
});
