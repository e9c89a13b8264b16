import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetrievalCase } from '../../../../shared/schemas/knowledge';
import { openStore } from '../../../store/open';
import type { CodetteStore } from '../../../store/types';
import { PROJECT_ROOT } from '../../../paths';
import { retrieve } from '../retrieve';
import { SynonymExpander } from '../synonyms';

let store: CodetteStore;
const synonyms = SynonymExpander.load();
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'codette-retrieval-')) });
});
afterAll(() => store.close());

const evalDir = join(PROJECT_ROOT, 'server/engine/knowledge/eval');
const cases = readdirSync(evalDir)
  .filter((f) => f.startsWith('retrieval-'))
  .flatMap((f) => RetrievalCase.array().parse(JSON.parse(readFileSync(join(evalDir, f), 'utf8'))));

describe('retrieval', () => {
  it(`finds the right entry in the top 3 for at least 90% of ${cases.length} evaluation questions`, async () => {
    let found = 0;
    const misses: string[] = [];
    for (const c of cases) {
      const { hits } = await retrieve(store, synonyms, c.question, 3);
      const ok = hits.some((h) => c.expect_ids?.includes(h.id) || h.category === c.expect_category);
      if (ok) found++;
      else misses.push(c.question);
    }
    const accuracy = found / cases.length;
    console.log(`retrieval top-3 accuracy: ${(accuracy * 100).toFixed(1)}% (${found}/${cases.length}); misses: ${misses.slice(0, 10).join(' | ')}`);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('treats synonyms as one word: "bass drum" finds the kick, "esses" the sibilance entries, "low end" the sub', async () => {
    expect(synonyms.expansions('my bass drum is weak')).toContain('kick');
    expect((await retrieve(store, synonyms, 'my bass drum has no punch')).hits.some((h) => /kick/.test(h.id))).toBe(true);
    expect((await retrieve(store, synonyms, 'harsh esses')).hits.some((h) => /sibil|de-?ess/.test(h.id))).toBe(true);
    expect(synonyms.expansions('the sub is rumbling')).toContain('low end');
    expect((await retrieve(store, synonyms, 'not enough bottom end')).hits.some((h) => /low|sub|bass/.test(h.id))).toBe(true);
  });

  it('stems: "compressing vocals" finds what "vocal compression" finds', async () => {
    const a = (await retrieve(store, synonyms, 'compressing vocals')).hits.map((h) => h.id);
    const b = (await retrieve(store, synonyms, 'vocal compression')).hits.map((h) => h.id);
    expect(a[0]).toBe(b[0]);
  });

  it('measures how well the best entry covers the question', async () => {
    const strong = await retrieve(store, synonyms, 'de-essing a lead vocal');
    const weak = await retrieve(store, synonyms, 'best pizza in naples');
    expect(strong.coverage).toBeGreaterThan(0.6);
    expect(weak.coverage).toBeLessThan(0.34);
  });
});
