import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AudioAnalysisReport } from '../../../shared/schemas/analysis';
import { ChatResponse } from '../../../shared/schemas/chat';
import { FileRecord } from '../../../shared/schemas/persistence';
import { startTestServer, postJson, type TestServer } from '../../test/helpers';
import { intersampleSine, musicLike, rawWav, wav, wavInit } from './fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_UPLOAD_LIMIT: '40mb', CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

type ErrorAnswer = {
  error: { code: string; message: string; details?: { field?: string; duration_seconds?: number } };
};

async function analyse(bytes: Uint8Array, query = '') {
  const res = await server.fetch(`/api/analyze/audio${query}`, wavInit(bytes));
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(200);
  return AudioAnalysisReport.parse(body);
}

describe('POST /api/analyze/audio', () => {
  const music = musicLike(48000, 20, -14);

  it("measures a -14 LUFS master and says it is within Spotify's target, citing the figures", async () => {
    const report = await analyse(wav(music, 48000, 'pcm24'), '?target=spotify&name=master.wav');
    expect(report.loudness.integrated_lufs).toBeGreaterThan(-14.3);
    expect(report.loudness.integrated_lufs).toBeLessThan(-13.7);
    for (const v of [
      report.loudness.short_term_max_lufs,
      report.loudness.momentary_max_lufs,
      report.loudness.range_lu,
      report.peak.true_peak_dbtp,
      report.peak.sample_peak_dbfs,
    ]) {
      expect(v).toBeTypeOf('number');
    }
    expect(report).toMatchObject({
      sample_rate: 48000,
      channels: 2,
      bit_depth: 24,
      sample_format: 'pcm',
      target: { name: 'spotify', integrated_lufs: -14 },
    });
    expect(report.duration_seconds).toBeCloseTo(20, 3);
    expect(report.stereo?.correlation).toBeGreaterThan(0.5);
    expect(report.spectrum?.octave_bands.length).toBeGreaterThan(5);
    const onTarget = report.findings.find((f) => f.id === 'audio.loudness_on_target');
    expect(onTarget?.message).toContain(`${report.loudness.integrated_lufs!.toFixed(1)} LUFS`);
    expect(onTarget?.message).toContain('within target');
    expect(
      report.findings.some((f) => f.id === 'audio.too_loud_for_target' || f.id === 'audio.too_quiet_for_target'),
    ).toBe(false);
    expect(report.file.name).toBe('master.wav');
    // recorded in codette_files
    const files = z.object({ files: z.array(FileRecord) }).parse((await server.json('/codette/files')).body).files;
    expect(files.some((f) => f.id === report.file.id && f.mime_type === 'audio/wav')).toBe(true);
  });

  it('flags a hot master: true peak over the ceiling, citing the measured dBTP, and too loud for Spotify', async () => {
    const hot = musicLike(48000, 12, -9).map((c) => {
      const s = intersampleSine(48000, 12, 1.25);
      return c.map((v, i) => (i > 48000 * 5 && i < 48000 * 5.05 ? s[i]! : v));
    });
    const report = await analyse(wav(hot, 48000, 'float32'), '?target=spotify');
    expect(report.peak.true_peak_dbtp!).toBeGreaterThan(1);
    const tp = report.findings.find((f) => f.id === 'audio.true_peak_over_ceiling');
    expect(tp?.severity).toBe('critical');
    expect(tp?.message).toContain(`+${report.peak.true_peak_dbtp!.toFixed(2)} dBTP`);
    expect(tp?.evidence.true_peak_dbtp).toBe(report.peak.true_peak_dbtp);
    expect(tp?.next_step).toMatch(/-1 dBTP/);
    expect(report.recommendations).toContainEqual(
      expect.objectContaining({ parameter: 'limiter.ceiling_dbtp', value: -1 }),
    );
    expect(report.findings.some((f) => f.id === 'audio.too_loud_for_target')).toBe(true);
    expect(report.status).toBe('critical');
    // The same file against the club target is not "too loud".
    const club = await analyse(wav(hot, 48000, 'float32'), '?target=club');
    expect(club.findings.some((f) => f.id === 'audio.too_loud_for_target')).toBe(false);
    expect(club.score).toBeGreaterThan(report.score);
  });

  it('takes mono 16-bit at 44.1 kHz and 32-bit float', async () => {
    const [mono] = musicLike(44100, 5, -16);
    const r16 = await analyse(wav([mono!], 44100, 'pcm16'), '?target=apple_music');
    expect(r16).toMatchObject({ channels: 1, sample_rate: 44100, bit_depth: 16, stereo: null });
    expect(r16.findings.some((f) => f.id === 'audio.mono_file')).toBe(true);
    const rf = await analyse(wav(musicLike(96000, 3, -20), 96000, 'float32'));
    expect(rf).toMatchObject({ channels: 2, sample_rate: 96000, sample_format: 'float', bit_depth: 32 });
  });

  it('accepts the WAV as the multipart field "file", with the target as a field', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([wav(musicLike(48000, 6, -9), 48000) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }),
      'club mix.wav',
    );
    form.append('target', 'club');
    const res = await server.fetch('/api/analyze/audio', { method: 'POST', body: form });
    const report = AudioAnalysisReport.parse(await res.json());
    expect(report.target.name).toBe('club');
    expect(report.file.name).toBe('club mix.wav');
    expect(report.findings.some((f) => f.id === 'audio.loudness_on_target')).toBe(true);
    const files = z.object({ files: z.array(FileRecord) }).parse((await server.json('/codette/files')).body).files;
    expect(files.find((f) => f.id === report.file.id)?.size_bytes).toBe(report.file.size_bytes);

    const noFile = new FormData();
    noFile.append('target', 'club');
    const missing = await server.json<ErrorAnswer>('/api/analyze/audio', { method: 'POST', body: noFile });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('file');
    const badTarget = new FormData();
    badTarget.append('file', new Blob([wav(musicLike(48000, 1, -9), 48000) as Uint8Array<ArrayBuffer>]), 'a.wav');
    badTarget.append('target', 'radio');
    const bt = await server.json<ErrorAnswer>('/api/analyze/audio', { method: 'POST', body: badTarget });
    expect(bt.status).toBe(400);
    expect(bt.body.error.message).toContain('target');
  });

  it('refuses 8-bit, 3 channels, non-PCM, not-a-WAV, other audio types and a bad target with a 4xx naming the problem', async () => {
    const cases: [Uint8Array, number, string, RegExp][] = [
      [rawWav({ channels: 1, rate: 44100, bits: 8, dataBytes: 4410 }), 415, 'unsupported_bit_depth', /8-bit/],
      [rawWav({ channels: 3, rate: 48000, bits: 16, dataBytes: 4800 * 6 }), 422, 'too_many_channels', /3 channels/],
      [rawWav({ tag: 0x55, channels: 2, rate: 44100, bits: 16, dataBytes: 400 }), 415, 'unsupported_format', /MP3/],
      [rawWav({ channels: 2, rate: 4000, bits: 16, dataBytes: 400 }), 422, 'invalid_sample_rate', /4000 Hz/],
      [new TextEncoder().encode('this is not audio, just text pretending'), 415, 'content_mismatch', /WAV|audio\/wav/],
    ];
    for (const [bytes, status, code, message] of cases) {
      const res = await server.json<ErrorAnswer>('/api/analyze/audio', wavInit(bytes));
      expect(res.status, code).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
    }
    const truncated = wav(musicLike(48000, 1, -14), 48000).subarray(0, 50_000);
    const t = await server.json<ErrorAnswer>('/api/analyze/audio', wavInit(truncated));
    expect([t.status, t.body.error.code]).toEqual([422, 'truncated']);
    const flac = await server.json<ErrorAnswer>('/api/analyze/audio', {
      method: 'POST',
      headers: { 'content-type': 'audio/flac' },
      body: 'fLaC....',
    });
    expect(flac.status).toBe(415);
    expect(flac.body.error.message).toMatch(/Only WAV/);
    const none = await server.json<ErrorAnswer>('/api/analyze/audio', {
      method: 'POST',
      body: new Uint8Array([1, 2, 3]),
    });
    expect(none.status).toBe(415);
    const badTarget = await server.json<ErrorAnswer>(
      '/api/analyze/audio?target=radio',
      wavInit(wav(musicLike(48000, 1, -14), 48000)),
    );
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.message).toContain('target');
  });

  it('refuses audio longer than 10 minutes with 413 and the duration, before decoding', async () => {
    const long = rawWav({ channels: 1, rate: 8000, bits: 16, dataBytes: 8000 * 2 * 601 });
    const res = await server.json<ErrorAnswer>('/api/analyze/audio', wavInit(long));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('audio_too_long');
    expect(res.body.error.message).toContain('10:01');
    expect(res.body.error.details?.duration_seconds).toBe(601);
  });

  it('keeps nothing of a refused WAV: no row in codette_files, no file on disk (raw body and multipart)', async () => {
    const filesDir = join(server.services.settings.dataDir, 'files');
    const listed = async () =>
      z.object({ files: z.array(FileRecord) }).parse((await server.json('/codette/files')).body).files.length;
    const onDisk = () => (existsSync(filesDir) ? readdirSync(filesDir).length : 0);
    const before = { rows: await listed(), files: onDisk() };
    const refused = [
      rawWav({ channels: 1, rate: 8000, bits: 16, dataBytes: 8000 * 2 * 601 }), // too long
      rawWav({ channels: 1, rate: 44100, bits: 8, dataBytes: 4410 }), // 8-bit
      rawWav({ channels: 1, rate: 48000, bits: 16, dataBytes: 0 }), // no audio
    ];
    for (const bytes of refused) {
      expect((await server.fetch('/api/analyze/audio', wavInit(bytes))).status).toBeGreaterThanOrEqual(400);
      const form = new FormData();
      form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }), 'refused.wav');
      expect((await server.fetch('/api/analyze/audio', { method: 'POST', body: form })).status).toBeGreaterThanOrEqual(
        400,
      );
    }
    expect({ rows: await listed(), files: onDisk() }).toEqual(before);
    // An accepted one is kept, so the counts above could move.
    expect((await server.fetch('/api/analyze/audio', wavInit(wav(musicLike(48000, 1, -14), 48000)))).status).toBe(200);
    expect({ rows: await listed(), files: onDisk() }).toEqual({ rows: before.rows + 1, files: before.files + 1 });
  });

  it('streams progress then the report with Accept: text/event-stream, in a worker for a long file', async () => {
    const [mono] = musicLike(8000, 75, -14);
    const res = await server.fetch('/api/analyze/audio', wavInit(wav([mono!], 8000), { accept: 'text/event-stream' }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({
      event: m[1]!,
      data: JSON.parse(m[2]!) as Record<string, unknown>,
    }));
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.fraction as number);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    const last = events.at(-1)!;
    expect(last.event).toBe('report');
    const report = AudioAnalysisReport.parse(last.data);
    expect(report.timing.worker).toBe(true);
    expect(report.duration_seconds).toBeCloseTo(75, 2);
  });

  it('gives a report whose chat_context lets a chat question read the figures', async () => {
    const loud = await analyse(wav(musicLike(48000, 12, -9), 48000));
    const { status, body } = await server.json(
      '/codette/chat',
      postJson({ message: 'is my master too loud for spotify?', daw_context: loud.chat_context }),
    );
    expect(status).toBe(200);
    const reply = ChatResponse.parse(body);
    expect(reply.response).toContain(loud.loudness.integrated_lufs!.toFixed(1));
  });
});
