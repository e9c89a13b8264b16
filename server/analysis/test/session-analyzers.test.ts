import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisResult, StreamAnalysis, type SessionInput } from '../../../shared/schemas/analysis';
import { startTestServer, postJson, type TestServer } from '../../test/helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

async function run(analyzer: string, session: SessionInput | Record<string, unknown>) {
  const { status, body } = await server.json(`/api/analyze/${analyzer}`, postJson(session));
  expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return AnalysisResult.parse(body);
}
const ids = (r: AnalysisResult) => r.findings.map((f) => f.id);
const finding = (r: AnalysisResult, id: string) => r.findings.find((f) => f.id === id);

/** A tidy 6-track session every analyzer should like. */
const tidy = (): SessionInput => ({
  tracks: [
    { name: 'Kick', type: 'audio', peak: -6, level: -16, pan: 0, plugins: ['EQ', 'Comp'], bus: 'Drums', colour: 'red' },
    { name: 'Snare', type: 'audio', peak: -7, level: -18, pan: 0, plugins: ['EQ'], bus: 'Drums', colour: 'red' },
    { name: 'Hats', type: 'audio', peak: -12, level: -22, pan: 0.3, plugins: ['EQ'], bus: 'Drums', colour: 'orange' },
    { name: 'Bass', type: 'audio', peak: -6, level: -17, pan: 0, plugins: ['Comp'], colour: 'blue' },
    {
      name: 'Lead Vox',
      type: 'audio',
      peak: -5,
      level: -14,
      pan: 0,
      plugins: ['EQ', 'Comp', 'De-esser'],
      bus: 'Vox',
      colour: 'green',
    },
    { name: 'Keys', type: 'instrument', peak: -10, level: -20, pan: -0.4, plugins: ['EQ'], colour: 'yellow' },
    { name: 'Drums', type: 'bus', colour: 'red' },
    { name: 'Vox', type: 'bus', colour: 'green' },
  ],
  master: {
    integrated_lufs: -14.2,
    true_peak_dbtp: -1.3,
    range_lu: 6,
    tilt_db_per_octave: -2,
    low_end_ratio: 0.4,
    correlation: 0.7,
  },
  cpu_percent: 35,
  tempo_bpm: 124,
  genre: 'house',
  target: 'spotify',
  sections: [
    { name: 'intro', active_tracks: 2 },
    { name: 'drop', active_tracks: 6 },
  ],
});

describe('session analyzers on a tidy session', () => {
  it.each(['session', 'mixing', 'routing', 'mastering', 'creative', 'gain-staging'])(
    '%s: good, high score, no problems',
    async (name) => {
      const r = await run(name, tidy());
      expect(r.status, JSON.stringify(r.findings.filter((f) => f.severity !== 'info'))).toBe('good');
      expect(r.score).toBeGreaterThanOrEqual(90);
      expect(r.findings.every((f) => f.severity === 'info')).toBe(true);
    },
  );
});

describe('gain staging', () => {
  it('costs points for clipping, little headroom, low tracks and a wide spread, and cites the numbers', async () => {
    const s = tidy();
    s.tracks![0]!.peak = 1.5;
    const r1 = await run('gain-staging', s);
    const clip = finding(r1, 'gain_staging.track_clipping')!;
    expect(clip.severity).toBe('critical');
    expect(clip.message).toContain('"Kick" peaks at +1.5 dBFS');
    expect(clip.evidence).toMatchObject({ track: 'Kick', peak_dbfs: 1.5 });
    expect(r1.recommendations).toContainEqual({
      action: 'reduce_gain',
      parameter: 'Kick.trim_db',
      value: -8,
      reason: expect.stringContaining('+1.5 dBFS'),
    });
    expect(r1.status).toBe('critical');

    const s2 = tidy();
    s2.tracks![1]!.peak = -2;
    const r2 = await run('gain-staging', s2);
    expect(finding(r2, 'gain_staging.track_little_headroom')?.message).toContain('-2.0 dBFS');
    expect(r2.score).toBeGreaterThan(r1.score);
    expect(r2.score).toBeLessThan(100);

    const s3 = tidy();
    s3.tracks![2]!.level = -30;
    const r3 = await run('gain-staging', s3);
    expect(ids(r3)).toEqual(expect.arrayContaining(['gain_staging.track_too_low', 'gain_staging.level_spread']));
    expect(finding(r3, 'gain_staging.level_spread')?.evidence).toMatchObject({
      spread_db: 16,
      lowest_db: -30,
      highest_db: -14,
    });
    const s4 = tidy();
    s4.tracks![2]!.level = -40;
    expect((await run('gain-staging', s4)).score).toBeLessThan(r3.score);
  });
});

describe('mixing', () => {
  it('flags level spread, a dominant track, extreme balance, no processing and off-centre bass', async () => {
    const s = tidy();
    s.tracks = s.tracks!.map((t) => ({ ...t, plugins: [] }));
    s.tracks[4]!.level = -4;
    s.tracks[3]!.pan = -0.6;
    s.master = { tilt_db_per_octave: 3, spectral_centroid_hz: 6200, low_end_ratio: 0.85 };
    const r = await run('mixing', s);
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'mixing.level_spread',
        'mixing.dominant_track',
        'mixing.frequency_balance_bright',
        'mixing.low_end_extreme_heavy',
        'mixing.no_processing',
        'mixing.low_end_off_centre',
      ]),
    );
    expect(finding(r, 'mixing.dominant_track')?.message).toContain('"Lead Vox" is 12.0 dB louder');
    expect(finding(r, 'mixing.low_end_off_centre')?.message).toContain('"Bass"');
    expect(finding(r, 'mixing.no_processing')?.message).toContain('None of the 6 source tracks');
    expect(r.status).toBe('critical');
    expect(r.score).toBeLessThan(50);
    const dark = await run('mixing', { ...tidy(), master: { tilt_db_per_octave: -7.5 } });
    expect(ids(dark)).toContain('mixing.frequency_balance_dark');
  });
});

describe('routing', () => {
  const many = (n: number, named = true) =>
    Array.from({ length: n }, (_, i) => ({
      name: named ? `Part ${String.fromCharCode(65 + i)}` : `Audio ${i + 1}`,
      peak: -8,
      level: -18,
      plugins: ['EQ'],
      colour: `c${i % 4}`,
    }));

  it('asks for an aux bus past 10 tracks, a VCA, and names; not for a small session', async () => {
    const r = await run('routing', { tracks: many(12) });
    expect(ids(r)).toEqual(expect.arrayContaining(['routing.no_aux_bus', 'routing.no_vca']));
    expect(finding(r, 'routing.no_aux_bus')?.message).toContain('12 tracks');
    expect(ids(await run('routing', { tracks: many(8) }))).not.toContain('routing.no_aux_bus');
    const unnamed = await run('routing', {
      tracks: [...many(3), ...many(3, false).map((t) => ({ ...t, name: t.name })), { name: '' }],
    });
    const u = finding(unnamed, 'routing.unnamed_tracks')!;
    expect(u.evidence).toMatchObject({ unnamed: 4, tracks: 7 });
    const fewer = await run('routing', { tracks: [...many(5), { name: 'Audio 1' }, { name: 'Audio 2' }] });
    expect(ids(fewer)).not.toContain('routing.unnamed_tracks');
    expect(fewer.score).toBeGreaterThan(unnamed.score);
    const dangling = await run('routing', {
      tracks: [
        { name: 'Kick', bus: 'Drumz' },
        { name: 'Drums', type: 'bus' },
        { name: 'Snare', bus: 'Drums' },
      ],
    });
    expect(finding(dangling, 'routing.unknown_bus')?.message).toContain('Drumz');
  });
});

describe('session health', () => {
  it('scores CPU, plugin-heavy tracks, track count, colours and solos', async () => {
    const cpu = async (v: number) => run('session', { ...tidy(), cpu_percent: v });
    const [c50, c70, c90] = [await cpu(50), await cpu(70), await cpu(90)];
    expect(ids(c70)).toContain('session.cpu_high');
    expect(finding(c90, 'session.cpu_critical')?.message).toContain('90 %');
    expect(c50.score).toBeGreaterThan(c70.score);
    expect(c70.score).toBeGreaterThan(c90.score);
    const heavy = tidy();
    heavy.tracks![4]!.plugins = ['a', 'b', 'c', 'd', 'e', 'f', { name: 'g', bypassed: true }, 'h'];
    expect(finding(await run('session', heavy), 'session.plugin_heavy_track')?.message).toContain(
      '"Lead Vox" runs 7 plugins',
    );
    const big = await run('session', {
      tracks: Array.from({ length: 60 }, (_, i) => ({ name: `T${i}`, colour: `c${i % 5}` })),
    });
    expect(finding(big, 'session.too_many_tracks')?.evidence).toMatchObject({ tracks: 60 });
    const grey = await run('session', {
      tracks: tidy().tracks!.map((t) => ({ ...t, colour: null, solo: t.name === 'Bass' })),
    });
    expect(ids(grey)).toEqual(expect.arrayContaining(['session.no_colour_coding', 'session.solo_left_on']));
  });
});

describe('mastering', () => {
  it('judges loudness against the target, the true-peak ceiling, dynamics and tilt, and the score follows the distance', async () => {
    const master = async (m: Record<string, number>, target = 'spotify') => run('mastering', { target, master: m });
    const ok = await master({ integrated_lufs: -14.5, true_peak_dbtp: -1.2 });
    expect(finding(ok, 'mastering.loudness_on_target')?.message).toContain('-14.5 LUFS');
    const loud = await master({ integrated_lufs: -9, true_peak_dbtp: -1.2 });
    const louder = await master({ integrated_lufs: -6, true_peak_dbtp: -1.2 });
    expect(finding(loud, 'mastering.too_loud_for_target')?.message).toContain('5.0 LU above Spotify');
    expect(loud.recommendations[0]).toMatchObject({ parameter: 'limiter.input_gain_db', value: -5 });
    expect(ok.score).toBeGreaterThan(loud.score);
    expect(loud.score).toBeGreaterThan(louder.score);
    const peak = await master({ integrated_lufs: -14, true_peak_dbtp: 0.4 });
    expect(finding(peak, 'mastering.true_peak_over_ceiling')).toMatchObject({
      severity: 'critical',
      evidence: { true_peak_dbtp: 0.4, ceiling_dbtp: -1 },
    });
    const squashed = await master({ integrated_lufs: -5, true_peak_dbtp: -1.5, tilt_db_per_octave: 1.5 }, 'club');
    expect(ids(squashed)).toEqual(expect.arrayContaining(['mastering.over_compressed', 'mastering.tilted_bright']));
    expect(finding(squashed, 'mastering.over_compressed')?.message).toContain('3.5 dB');
    const broadcast = await master({ integrated_lufs: -21.8, true_peak_dbtp: -3 }, 'ebu_r128');
    expect(finding(broadcast, 'mastering.too_loud_for_target')?.severity).toBe('critical');
    const imbalance = await master({ low_db: -10, high_db: -40 });
    expect(ids(imbalance)).toContain('mastering.low_high_imbalance_dark');
  });
});

describe('creative', () => {
  it('finds a crowded, flat, centred, contrast-less arrangement and the tempo outside the genre', async () => {
    const flat: SessionInput = {
      tracks: Array.from({ length: 26 }, (_, i) => ({
        name: i < 6 ? `Synth ${i + 1}` : `Perc ${i}`,
        level: -18 + (i % 2) * 0.5,
        pan: 0,
      })),
      sections: [
        { name: 'verse', active_tracks: 25 },
        { name: 'chorus', active_tracks: 26 },
      ],
      tempo_bpm: 95,
      genre: 'drum and bass',
    };
    const r = await run('creative', flat);
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'creative.dense_arrangement',
        'creative.stacked_role',
        'creative.all_centre',
        'creative.same_level',
        'creative.no_contrast',
        'creative.tempo_outside_genre',
        'creative.no_low_end_part',
      ]),
    );
    expect(finding(r, 'creative.tempo_outside_genre')?.message).toContain('95 bpm is outside Drum and bass');
    expect(finding(r, 'creative.no_contrast')?.evidence).toMatchObject({ min_tracks: 25, max_tracks: 26 });
    expect(r.status).toBe('critical');
    const better = await run('creative', {
      ...flat,
      tracks: flat.tracks!.slice(0, 10).map((t, i) => ({ ...t, pan: i % 2 ? 0.5 : -0.5, level: -10 - i * 2 })),
      tempo_bpm: 174,
    });
    expect(better.score).toBeGreaterThan(r.score);
  });
});

describe('errors and the stream', () => {
  it('names the field of a bad session', async () => {
    const { status, body } = await server.json<{ error: { message: string } }>(
      '/api/analyze/mixing',
      postJson({ tracks: [{ name: 'Kick', pan: 3 }] }),
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain('tracks.0.pan');
    const t = await server.json<{ error: { message: string } }>(
      '/api/analyze/mastering',
      postJson({ target: 'radio' }),
    );
    expect(t.status).toBe(400);
    expect(t.body.error.message).toContain('target');
  });

  it('runs the mastering rules on live snapshots and reports what changed since the last one', async () => {
    const post = async (snap: Record<string, unknown>) => {
      const { status, body } = await server.json('/api/analyze/stream', postJson({ source: 'tab-1', ...snap }));
      expect(status).toBe(200);
      return StreamAnalysis.parse(body);
    };
    const first = await post({ integrated_lufs: -8, true_peak_dbtp: 0.5, measured_seconds: 60 });
    expect(first.changes.appeared).toEqual(
      expect.arrayContaining(['stream.too_loud_for_target', 'stream.true_peak_over_ceiling']),
    );
    expect(finding(first, 'stream.true_peak_over_ceiling')?.message).toContain('+0.50 dBTP');
    const second = await post({ integrated_lufs: -14, true_peak_dbtp: -1.5, measured_seconds: 90, cpu_percent: 85 });
    expect(second.changes.resolved).toEqual(
      expect.arrayContaining(['stream.too_loud_for_target', 'stream.true_peak_over_ceiling']),
    );
    expect(second.changes.appeared).toEqual(['stream.cpu_critical']);
    const settling = await post({ integrated_lufs: -30, measured_seconds: 3 });
    expect(ids(settling)).toContain('stream.integrated_settling');
    expect(ids(settling)).not.toContain('stream.too_quiet_for_target');
    expect((await server.json('/api/analyze/stream', postJson({ integrated_lufs: 'loud' }))).status).toBe(400);
  });
});
