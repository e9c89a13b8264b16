import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetrievalCase } from '../../../../shared/schemas/knowledge';
import { openStore, readKnowledge } from '../../../store/open';
import type { CodetteStore } from '../../../store/types';
import { PROJECT_ROOT } from '../../../paths';
import { loadEngineData } from '../../engine';
import { findKnowledge } from '../../understand/understand-question';

const knowledge = readKnowledge() ?? [];
const engine = loadEngineData(knowledge);
let store: CodetteStore;
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'codette-retrieval-')), knowledge });
});
afterAll(() => store.close());

const find = (question: string) => findKnowledge(store, engine, question, 'en');
const ids = async (question: string) => (await find(question)).ranking.ranked.map((r) => r.hit.id);

const evalDir = join(PROJECT_ROOT, 'server/engine/knowledge/eval');
const cases = readdirSync(evalDir)
  .filter((f) => f.startsWith('retrieval-'))
  .flatMap((f) => RetrievalCase.array().parse(JSON.parse(readFileSync(join(evalDir, f), 'utf8'))));

describe('retrieval', () => {
  // Thresholds at the level measured when they were set (95.4 % top-3, 87.4 % first): a regression fails.
  it(`ranks the right entry first for 87 % and in the top 3 for 95 % of ${cases.length} entry-worded questions`, async () => {
    let first = 0;
    let top3 = 0;
    for (const c of cases) {
      const hits = (await find(c.question)).ranking.ranked.map((r) => r.hit);
      const ok = (h: { id: string; category: string }) =>
        c.expect_ids?.includes(h.id) || h.category === c.expect_category;
      if (hits[0] && ok(hits[0])) first++;
      if (hits.slice(0, 3).some(ok)) top3++;
    }
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(first / cases.length).toBeGreaterThanOrEqual(0.87);
    expect(top3 / cases.length).toBeGreaterThanOrEqual(0.95);
  });

  it('ranks by subject and process before shared words: a snare that should slap harder is a snare compression question', async () => {
    expect((await ids('how 2 make my snare slap harder'))[0]).toBe('comp.snare');
    expect((await ids('my vocals sound thin and quiet compared to the beat'))[0]).toMatch(/vocal/);
    expect((await ids('and on the bass compress'))[0]).toBe('comp.bass');
    expect((await ids('audiotool which synth for bass'))[0]).toBe('webdaw.audiotool');
  });

  it('reads slang, typos and synonyms: "vox", "compresor setings", "bass drum", "esses"', async () => {
    expect((await ids('compresor setings for vox'))[0]).toBe('comp.lead-vocal');
    expect((await ids('my bass drum has no punch')).some((id) => /kick/.test(id))).toBe(true);
    expect((await ids('harsh esses on my singer')).some((id) => /sibil|de-?ess/.test(id))).toBe(true);
  });

  it('prefers the entry whose title names what was asked', async () => {
    expect((await ids('how to make a supersaw'))[0]).toBe('sd.supersaw');
    expect((await ids("what's the difference between wav and flac"))[0]).toBe('master.wav-flac-mp3');
  });

  it('reads French production words, slang and modes, not articles ("la compression" is no LA-2A)', async () => {
    const fr = async (q: string) => (await findKnowledge(store, engine, q, 'fr')).ranking.ranked[0]?.hit.id;
    expect(await fr('c koi la compression parallèle')).toBe('comp.parallel');
    expect(await fr("c'est quoi le mode dorien ?")).toBe('theory.mode.dorian');
    expect(await fr('latence quand j’enregistre dans un daw en ligne, comment corriger')).toMatch(/latency/);
  });

  it('leaves short real words alone and does not take voice leading for vocals', async () => {
    expect((await find('the low end is a mess')).text).toBe('the low end is a mess');
    expect((await ids('how to make vocals sound more professional'))[0]).not.toBe('theory.voice-leading');
  });

  it('declines what is not about music, reading the words as typed', async () => {
    expect((await find('best pizza in naples')).declined).toBe(true);
    expect((await find('how do i compress a zip file on windows')).declined).toBe(true);
    expect((await find('is my resting heart rate of 120 bpm normal')).declined).toBe(true);
    expect((await find('de-essing a lead vocal')).declined).toBe(false);
  });
});
