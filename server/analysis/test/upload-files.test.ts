/**
 * Issue 13.6 and 13.7: WAV chunks in any order, large metadata, refusals decided before analysis, and uploads that
 * leave nothing behind when they are refused, point at an unknown session, or die with the server.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AudioAnalysisReport } from '../../../shared/schemas/analysis';
import { FileRecord } from '../../../shared/schemas/persistence';
import { startTestServer, type TestServer } from '../../test/helpers';
import { musicLike, wav, wavInit } from './fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_UPLOAD_LIMIT: '40mb', CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

type ErrorAnswer = { error: { code: string; message: string; details?: { duration_seconds?: number } } };

const filesDir = () => join(server.services.settings.dataDir, 'files');
const onDisk = () => (existsSync(filesDir()) ? readdirSync(filesDir()) : []);
const rows = async () =>
  z.object({ files: z.array(FileRecord) }).parse((await server.json('/codette/files?limit=200')).body).files.length;

/** The chunks of a WAV written by encodeWav, reassembled in another order with extra chunks. */
function reorder(
  bytes: Uint8Array,
  layout: (chunks: { fmt: Uint8Array; data: Uint8Array }) => Uint8Array[],
): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fmtSize = view.getUint32(16, true);
  const fmt = bytes.subarray(12, 20 + fmtSize);
  const dataAt = 20 + fmtSize;
  const data = bytes.subarray(dataAt, dataAt + 8 + view.getUint32(dataAt + 4, true));
  const body = layout({ fmt, data });
  const total = 4 + body.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(8 + total);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode('RIFF'), 0);
  v.setUint32(4, total, true);
  out.set(new TextEncoder().encode('WAVE'), 8);
  let at = 12;
  for (const c of body) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function chunk(id: string, size: number): Uint8Array {
  const out = new Uint8Array(8 + size + (size & 1));
  out.set(new TextEncoder().encode(id), 0);
  new DataView(out.buffer).setUint32(4, size, true);
  return out;
}

/** 8 kHz mono 16-bit, `seconds` long, of silence: cheap to build at any length. */
function silence(seconds: number): Uint8Array {
  return wav([new Float32Array(8000 * seconds)], 8000);
}

describe('WAV uploads', () => {
  it('refuses a WAV whose fmt chunk comes after its data, when too long, before analysing: 413, no file, no row', async () => {
    const before = { rows: await rows(), files: onDisk().length };
    const long = reorder(silence(601), ({ fmt, data }) => [data, fmt]);
    const started = performance.now();
    const res = await server.json<ErrorAnswer>('/api/analyze/audio', wavInit(long));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('audio_too_long');
    expect(res.body.error.details?.duration_seconds).toBe(601);
    expect(performance.now() - started, 'decided from the headers, not after an analysis').toBeLessThan(3000);
    expect({ rows: await rows(), files: onDisk().length }).toEqual(before);
  });

  it('analyses a WAV with fmt after data, and one with 1.5 MiB of metadata before its fmt and data chunks', async () => {
    const music = wav(musicLike(48000, 3, -14), 48000);
    const late = reorder(music, ({ fmt, data }) => [chunk('LIST', 100), data, fmt]);
    const r1 = await server.fetch('/api/analyze/audio', wavInit(late));
    expect(r1.status, await r1.clone().text()).toBe(200);
    expect(AudioAnalysisReport.parse(await r1.json()).duration_seconds).toBeCloseTo(3, 3);
    const tagged = reorder(music, ({ fmt, data }) => [chunk('iXML', 1.5 * 1024 * 1024 + 1), fmt, data]);
    const r2 = await server.fetch('/api/analyze/audio', wavInit(tagged));
    expect(r2.status, await r2.clone().text()).toBe(200);
    expect(AudioAnalysisReport.parse(await r2.json()).loudness.integrated_lufs).toBeCloseTo(-14, 0);
  });

  it('refuses a WAV with over a thousand chunks before its audio (each costs a read) with 422, keeping nothing', async () => {
    const before = { rows: await rows(), files: onDisk().length };
    const junk = Array.from({ length: 1001 }, () => chunk('junk', 0));
    const res = await server.json<ErrorAnswer>(
      '/api/analyze/audio',
      wavInit(reorder(silence(1), ({ fmt, data }) => [...junk, fmt, data])),
    );
    expect([res.status, res.body.error.code]).toEqual([422, 'invalid_fmt']);
    expect({ rows: await rows(), files: onDisk().length }).toEqual(before);
  });

  it('keeps nothing of a multipart upload it refuses, and reads the form as it streams', async () => {
    const before = { rows: await rows(), files: onDisk().length };
    const form = new FormData();
    form.set('target', 'club');
    form.set(
      'file',
      new Blob([reorder(silence(601), ({ fmt, data }) => [data, fmt]) as Uint8Array<ArrayBuffer>], {
        type: 'audio/wav',
      }),
      'long.wav',
    );
    const res = await server.json<ErrorAnswer>('/api/analyze/audio', { method: 'POST', body: form });
    expect([res.status, res.body.error.code]).toEqual([413, 'audio_too_long']);
    expect({ rows: await rows(), files: onDisk().length }).toEqual(before);
  });
});

describe('orphaned uploads', () => {
  it('an unknown session_id is a 404 and leaves no file (raw upload, audio analysis, multipart)', async () => {
    const before = { rows: await rows(), files: onDisk().length };
    const unknown = '00000000-0000-4000-8000-000000000000';
    const raw = await server.json<ErrorAnswer>(`/codette/files?name=a.txt&session_id=${unknown}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(raw.status).toBe(404);
    const audio = await server.json<ErrorAnswer>(`/api/analyze/audio?session_id=${unknown}`, wavInit(silence(1)));
    expect(audio.status).toBe(404);
    const form = new FormData();
    form.set('session_id', unknown);
    form.set('file', new Blob([silence(1) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }), 'a.wav');
    expect((await server.fetch('/api/analyze/audio', { method: 'POST', body: form })).status).toBe(404);
    expect({ rows: await rows(), files: onDisk().length }).toEqual(before);
  });

  it('partial uploads a killed server left are swept at start; finished files stay', async () => {
    const dataDir = join(server.services.settings.dataDir, 'other');
    mkdirSync(join(dataDir, 'files'), { recursive: true });
    writeFileSync(join(dataDir, 'files', '.partial-1b1e9d1c-0000-4000-8000-000000000000.wav'), 'half a file');
    writeFileSync(join(dataDir, 'files', 'kept.wav'), 'a stored file');
    const other = await startTestServer({ CODETTE_DATA_DIR: dataDir });
    try {
      expect(readdirSync(join(dataDir, 'files'))).toEqual(['kept.wav']);
    } finally {
      await other.close();
    }
  });
});
