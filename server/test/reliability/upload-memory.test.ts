/**
 * Issue 13.6: the memory a WAV upload costs does not follow its size. The real server process with a 250 MB upload
 * limit gets 200 MB uploads, raw and multipart, that it must refuse (too long, decided from the headers) and one it
 * analyses, and its resident memory is sampled throughout.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMultipart, bigWav, postParts } from '../../bench/attacks/uploads';
import { watchRss } from '../../bench/attacks/ws-raw';
import { buildBundle, freePort, runServer, tempDir, type ServerProcess } from './server-process';

let bundle: string;
let proc: ServerProcess;
let url: string;
const dataDir = tempDir('codette-upload-mem-');
beforeAll(async () => {
  bundle = await buildBundle('upload-mem');
  proc = runServer(bundle, ['--port', String(await freePort()), '--data-dir', dataDir], {
    CODETTE_UPLOAD_LIMIT: '250mb',
    CODETTE_RATE_LIMIT: '0',
  });
  url = await proc.ready();
}, 60_000);
afterAll(async () => {
  await proc?.kill('SIGKILL');
  rmSync(bundle, { force: true });
});

const MB = 1024 * 1024;

describe('200 MB WAV uploads', () => {
  it('raw body, fmt after data (17 minutes): 413 before analysis, peak RSS under 300 MB, nothing left on disk', async () => {
    const rss = watchRss(proc.child.pid!);
    const wav = bigWav(200 * MB, { fmtAfterData: true });
    const answer = await postParts(`${url}/api/analyze/audio`, wav.parts, 'audio/wav');
    const peak = await rss.stop();
    expect(answer).toEqual({ status: 413, code: 'audio_too_long' });
    expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(300);
    expect(readdirSync(join(dataDir, 'files'))).toEqual([]);
  }, 60_000);

  it('multipart form (17 minutes): streamed to disk, 413, peak RSS under 300 MB, nothing left on disk', async () => {
    const rss = watchRss(proc.child.pid!);
    const form = asMultipart(bigWav(200 * MB));
    const answer = await postParts(`${url}/api/analyze/audio`, form.parts, form.contentType);
    const peak = await rss.stop();
    expect(answer).toEqual({ status: 413, code: 'audio_too_long' });
    expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(300);
    expect(readdirSync(join(dataDir, 'files'))).toEqual([]);
  }, 60_000);

  it('an accepted one (96 kHz stereo, 9 minutes) is analysed as it is read: 200, peak RSS under 300 MB', async () => {
    const rss = watchRss(proc.child.pid!);
    const answer = await postParts(`${url}/api/analyze/audio`, bigWav(200 * MB, { rate: 96000 }).parts, 'audio/wav');
    const peak = await rss.stop();
    expect(answer).toEqual({ status: 200 });
    expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(300);
  }, 120_000);
});
