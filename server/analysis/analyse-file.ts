import { readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  AudioAnalyzer,
  decodeWav,
  WavError,
  type AnalysisReport,
  type WavErrorCode,
  type WavSampleFormat,
} from '../../shared/dsp/index';
import { PROJECT_ROOT } from '../paths';
import { inspectWav, MAX_CHANNELS, type WavInfo } from './wav-peek';

export interface FileAnalysis {
  report: AnalysisReport;
  bitDepth: number;
  format: WavSampleFormat;
  /** Decode + analysis wall time. */
  ms: number;
  worker: boolean;
}

export interface AnalyseOptions {
  /** Run in a worker thread, so the server keeps answering (and progress really streams) during a long analysis. */
  worker: boolean;
  onProgress?: (fraction: number) => void;
}

/** What the worker posts back. */
export type WorkerReply =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; report: AnalysisReport; bitDepth: number; format: WavSampleFormat; ms: number }
  | { type: 'error'; wavCode?: WavErrorCode; message: string };

/** Bytes of samples read at a time (64 KiB): the file is never in memory, only a slice of it and the analyser's tables. */
const READ_BYTES = 1 << 16;

/**
 * Hands the samples of a WAV on disk to `onSlice` a slice at a time, as planar float channels. Each slice goes
 * through decodeWav (as a small WAV of its own), so the conversion is the decoder's.
 */
export async function forEachSlice(
  path: string,
  info: WavInfo,
  onSlice: (channels: Float32Array[], framesDone: number) => void,
): Promise<void> {
  const blockAlign = (info.channels * info.bitDepth) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(info.format === 'float' ? 3 : 1, 20);
  header.writeUInt16LE(info.channels, 22);
  header.writeUInt32LE(info.sampleRate, 24);
  header.writeUInt32LE(info.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(info.bitDepth, 34);
  header.write('data', 36, 'latin1');
  const framesPerRead = Math.max(1, Math.floor(READ_BYTES / blockAlign));
  const slice = Buffer.alloc(44 + framesPerRead * blockAlign);
  header.copy(slice);
  const file = await open(path, 'r');
  try {
    for (let frame = 0; frame < info.frames; frame += framesPerRead) {
      const n = Math.min(framesPerRead, info.frames - frame);
      const bytes = n * blockAlign;
      const { bytesRead } = await file.read(slice, 44, bytes, info.dataStart + frame * blockAlign);
      if (bytesRead < bytes)
        throw new WavError('truncated', `the file ended after ${frame * blockAlign + bytesRead} bytes of samples`);
      slice.writeUInt32LE(36 + bytes, 4);
      slice.writeUInt32LE(bytes, 40);
      onSlice(decodeWav(slice.subarray(0, 44 + bytes), { maxChannels: MAX_CHANNELS }).channels, frame + n);
    }
  } finally {
    await file.close();
  }
}

/** Decodes and analyses a WAV on disk as it reads it (AudioAnalyzer): memory does not follow the file's length. */
export async function analyseInline(path: string, onProgress?: (fraction: number) => void): Promise<FileAnalysis> {
  const started = performance.now();
  const info = await inspectWav(path, (await stat(path)).size);
  const analyzer = new AudioAnalyzer(info.channels, info.sampleRate, info.frames, { truePeak: true });
  let reported = 0;
  onProgress?.(0);
  await forEachSlice(path, info, (channels, done) => {
    analyzer.push(channels);
    // Reading and measuring is most of the time; the spectrum, tempo and key at the end are the last tenth.
    const fraction = (0.9 * done) / Math.max(1, info.frames);
    if (onProgress && fraction - reported >= 0.005) {
      reported = fraction;
      onProgress(fraction);
    }
  });
  const report = analyzer.finish();
  onProgress?.(1);
  return { report, bitDepth: info.bitDepth, format: info.format, ms: performance.now() - started, worker: false };
}

const WORKER_FILE = join(PROJECT_ROOT, 'server/analysis/worker.ts');

/** tsx's ESM API entry, read from its package.json exports (require.resolve would give the CommonJS one). */
function tsxEsmApiUrl(): string {
  const pkgPath = createRequire(join(PROJECT_ROOT, 'package.json')).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } | string }>;
  };
  const entry = pkg.exports?.['./esm/api']?.import;
  const rel = typeof entry === 'string' ? entry : entry?.default;
  if (!rel) throw new Error('tsx/esm/api has no ESM entry');
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/**
 * The worker is TypeScript loaded through tsx's API, from source or from the bundled server alike (tsx is a runtime
 * dependency). Started per analysis and gone after it (about half a second to start: only used for long files).
 */
function startWorker(data: { path: string }): Worker {
  const tsxApi = tsxEsmApiUrl();
  const code = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(pathToFileURL(WORKER_FILE).href)}, ${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, 'package.json')).href)}));`;
  return new Worker(code, { eval: true, workerData: data });
}

export function analyseInWorker(path: string, onProgress?: (fraction: number) => void): Promise<FileAnalysis> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = startWorker({ path });
    } catch (error) {
      reject(error);
      return;
    }
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'progress') onProgress?.(msg.fraction);
      else if (msg.type === 'done')
        finish(() =>
          resolve({ report: msg.report, bitDepth: msg.bitDepth, format: msg.format, ms: msg.ms, worker: true }),
        );
      else finish(() => reject(msg.wavCode ? new WavError(msg.wavCode, msg.message) : new Error(msg.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`analysis worker exited with code ${code}`))));
  });
}

/**
 * Decodes and analyses a WAV on disk, in a worker when asked. A worker that fails is not retried on this thread: what
 * made it fail (memory, a bad file) would then stall every request.
 */
export function analyseFile(
  path: string,
  options: AnalyseOptions,
  run: { inline: typeof analyseInline; inWorker: typeof analyseInWorker } = {
    inline: analyseInline,
    inWorker: analyseInWorker,
  },
): Promise<FileAnalysis> {
  return options.worker ? run.inWorker(path, options.onProgress) : run.inline(path, options.onProgress);
}
