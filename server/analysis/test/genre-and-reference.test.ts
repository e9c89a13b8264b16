import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChecklistAnswer,
  DelaySync,
  EarTrainingAnswer,
  GenreDetection,
  InstrumentInfoAnswer,
} from '../../../shared/schemas/analysis';
import { startTestServer, postJson, type TestServer } from '../../test/helpers';
import { genreProfiles } from '../genre-data';
import { wav, wavInit } from './fixtures';
import { groove } from './genre-fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

type ErrorAnswer = { error: { code: string; message: string } };

async function detect(init: RequestInit, query = '') {
  const { status, body } = await server.json(`/api/analysis/detect-genre${query}`, init);
  expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return GenreDetection.parse(body);
}

const brightFast = {
  tempo_bpm: 174,
  spectral_centroid_hz: 2600,
  low_end_ratio: 0.42,
  crest_factor_db: 9.5,
  range_lu: 5,
  integrated_lufs: -7,
  tilt_db_per_octave: -1.2,
};
const darkSlow = {
  tempo_bpm: 85,
  spectral_centroid_hz: 700,
  low_end_ratio: 0.5,
  crest_factor_db: 12.5,
  range_lu: 6,
  integrated_lufs: -12,
  tilt_db_per_octave: -4.5,
};

describe('detect-genre', () => {
  it('reads every genre profile with a tempo range from the knowledge base', () => {
    const profiles = genreProfiles();
    expect(profiles.length).toBeGreaterThanOrEqual(30);
    expect(profiles.find((p) => p.id === 'genre.drum-and-bass')?.tempo_bpm).toEqual([160, 180]);
  });

  it('gives different top candidates for a bright 174 bpm and a dark 85 bpm feature set, each feature scored', async () => {
    const fast = await detect(postJson(brightFast));
    const slow = await detect(postJson(darkSlow));
    expect(fast.genre).toBe('Drum and bass');
    expect(slow.genre).toBe('Lo-fi hip hop');
    const tempo = fast.candidates[0]!.features.find((f) => f.feature === 'tempo_bpm')!;
    expect(tempo).toMatchObject({ value: 174, expected: [160, 180], weight: 3 });
    expect(tempo.fit).toBeGreaterThan(0.9);
    expect(slow.candidates.map((c) => c.genre)).not.toContain('Drum and bass');
    expect(fast.features_missing).toEqual(['stereo_width']);
    const probabilities = fast.candidates.map((c) => c.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
  });

  it('is less confident with fewer features, and with features that contradict each other', async () => {
    const full = await detect(postJson(brightFast));
    const tempoOnly = await detect(postJson({ tempo_bpm: 174 }));
    const mixed = await detect(
      postJson({
        ...brightFast,
        spectral_centroid_hz: 500,
        low_end_ratio: 0.8,
        tilt_db_per_octave: -6,
        crest_factor_db: 18,
      }),
    );
    expect(full.confidence).toBeGreaterThan(tempoOnly.confidence);
    expect(full.confidence).toBeGreaterThan(mixed.confidence);
    expect(tempoOnly.features_missing.length).toBe(7);
    // Half time: 87 bpm bright still finds drum and bass, read as 174.
    const half = await detect(postJson({ ...brightFast, tempo_bpm: 87 }));
    const dnb = half.candidates.find((c) => c.genre === 'Drum and bass');
    expect(dnb?.tempo_read_as).toBe(174);
  });

  it('measures a WAV: a bright 174 bpm groove and a dark 85 bpm one get different top genres, recorded as files', async () => {
    const fast = await detect(wavInit(wav(groove(22050, 20, 174, true, -7), 22050)));
    const slow = await detect(wavInit(wav(groove(22050, 20, 85, false, -12), 22050)));
    expect(fast.features.tempo_bpm).toBeCloseTo(174, 0);
    expect(slow.features.tempo_bpm).toBeCloseTo(85, 0);
    expect(fast.features.spectral_centroid_hz!).toBeGreaterThan(slow.features.spectral_centroid_hz! * 4);
    expect(fast.genre).toBe('Drum and bass');
    expect(slow.genre).not.toBe(fast.genre);
    const [lo, hi] = genreProfiles().find((p) => p.name === slow.genre)!.tempo_bpm;
    expect(85).toBeGreaterThanOrEqual(lo);
    expect(85).toBeLessThanOrEqual(hi);
    expect(fast.file_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fast.confidence).not.toBe(slow.confidence);
  });

  it('refuses empty features, unknown keys, bad values and non-WAV bodies, naming the field', async () => {
    const empty = await server.json<ErrorAnswer>('/api/analysis/detect-genre', postJson({}));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('at least one feature');
    const typo = await server.json<ErrorAnswer>('/api/analysis/detect-genre', postJson({ tempo: 120 }));
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toContain('tempo');
    const bad = await server.json<ErrorAnswer>('/api/analysis/detect-genre', postJson({ low_end_ratio: 3 }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('low_end_ratio');
    const text = await server.json<ErrorAnswer>('/api/analysis/detect-genre', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'house',
    });
    expect(text.status).toBe(415);
  });
});

describe('delay-sync', () => {
  it('computes exact times at 120 and 90 bpm', async () => {
    const { status, body } = await server.json('/api/analysis/delay-sync?bpm=120');
    expect(status).toBe(200);
    const d = DelaySync.parse(body);
    const note = (n: string) => d.notes.find((x) => x.note === n)!;
    expect(d.beat_ms).toBe(500);
    expect(d.bar_ms_4_4).toBe(2000);
    expect(note('1/4')).toMatchObject({ straight_ms: 500, dotted_ms: 750, triplet_ms: 333.333, straight_hz: 2 });
    expect(note('1/8')).toMatchObject({ straight_ms: 250, dotted_ms: 375, triplet_ms: 166.667 });
    expect(note('1/16').straight_ms).toBe(125);
    expect(note('1/1').straight_ms).toBe(2000);
    expect(d.reverb.pre_delay_ms).toEqual({ sixty_fourth: 31.25, thirty_second: 62.5, sixteenth: 125 });
    const d90 = DelaySync.parse((await server.json('/api/analysis/delay-sync?bpm=90')).body);
    expect(d90.beat_ms).toBe(666.667);
    expect(d90.notes.find((x) => x.note === '1/8')!.dotted_ms).toBe(500);
  });

  it('400 for a missing or out-of-range bpm', async () => {
    for (const q of ['', '?bpm=abc', '?bpm=5', '?bpm=1000']) {
      const res = await server.json<ErrorAnswer>(`/api/analysis/delay-sync${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message).toContain('bpm');
    }
  });
});

describe('curated reference data', () => {
  it('production-checklist: every stage has real items; a stage filters; an unknown stage is 400', async () => {
    const all = ChecklistAnswer.parse((await server.json('/api/analysis/production-checklist')).body);
    expect(all.checklists.map((c) => c.stage)).toEqual(all.stages);
    for (const c of all.checklists) expect(c.items.length, c.stage).toBeGreaterThanOrEqual(6);
    const mastering = ChecklistAnswer.parse(
      (await server.json('/api/analysis/production-checklist?stage=mastering')).body,
    );
    expect(mastering.checklists).toHaveLength(1);
    expect(mastering.checklists[0]!.items.some((i) => /true peak/i.test(i.item))).toBe(true);
    const bad = await server.json<ErrorAnswer>('/api/analysis/production-checklist?stage=partying');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('stage');
  });

  it('instrument-info: the list, an instrument by name or alias with its frequency areas, and 400 for an unknown one', async () => {
    const list = InstrumentInfoAnswer.parse((await server.json('/api/analysis/instrument-info')).body);
    expect(list.instruments.length).toBeGreaterThanOrEqual(12);
    expect(list.instrument).toBeUndefined();
    for (const q of ['kick', 'bass%20drum', 'vox', '808', 'Piano']) {
      const { status, body } = await server.json(`/api/analysis/instrument-info?instrument=${q}`);
      expect(status, q).toBe(200);
      const i = InstrumentInfoAnswer.parse(body).instrument!;
      expect(i.frequency_areas.length).toBeGreaterThanOrEqual(3);
      expect(i.eq.length).toBeGreaterThanOrEqual(2);
      expect(i.common_problems.length).toBeGreaterThanOrEqual(2);
    }
    const vocal = InstrumentInfoAnswer.parse(
      (await server.json('/api/analysis/instrument-info?instrument=vox')).body,
    ).instrument!;
    expect(vocal.id).toBe('lead-vocal');
    expect(vocal.frequency_areas.some((a) => a.name === 'sibilance' && a.low_hz >= 4000)).toBe(true);
    const bad = await server.json<ErrorAnswer>('/api/analysis/instrument-info?instrument=theremin');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('instrument');
  });

  it('ear-training: exercises with steps, filtered by category and level, a daily pick, and 400 for an unknown category', async () => {
    const all = EarTrainingAnswer.parse((await server.json('/api/analysis/ear-training')).body);
    expect(all.exercises.length).toBeGreaterThanOrEqual(12);
    expect(all.categories).toEqual(expect.arrayContaining(['frequency', 'dynamics', 'intervals']));
    for (const e of all.exercises) expect(e.steps.length).toBeGreaterThanOrEqual(2);
    const freq = EarTrainingAnswer.parse(
      (await server.json('/api/analysis/ear-training?category=frequency&level=beginner')).body,
    );
    expect(freq.exercises.length).toBeGreaterThan(0);
    expect(freq.exercises.every((e) => e.category === 'frequency' && e.level === 'beginner')).toBe(true);
    expect(freq.exercises.map((e) => e.id)).toContain(freq.daily.id);
    const bad = await server.json<ErrorAnswer>('/api/analysis/ear-training?category=telepathy');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('category');
    expect((await server.json('/api/analysis/ear-training?level=expert')).status).toBe(400);
  });
});
