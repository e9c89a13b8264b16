import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeAudio, decodeWav, WavError, type AnalysisReport, type WavErrorCode, type WavSampleFormat } from '../../shared/dsp/index';
import { PROJECT_ROOT } from '../paths';
import { MAX_CHANNELS } from './wav-peek';

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

export async function analyseInline(path: string, onProgress?: (fraction: number) => void): Promise<FileAnalysis> {
  const started = performance.now();
  const bytes = await readFile(path);
  const decoded = decodeWav(bytes, { maxChannels: MAX_CHANNELS });
  const report = analyzeAudio(decoded.channels, decoded.sampleRate, { truePeak: true, ...(onProgress ? { onProgress } : {}) });
  return { report, bitDepth: decoded.bitDepth, format: decoded.format, ms: performance.now() - started, worker: false };
}

const WORKER_FILE = join(PROJECT_ROOT, 'server/analysis/worker.ts');

/** tsx's ESM API entry, read from its package.json exports (require.resolve would give the CommonJS one). */
function tsxEsmApiUrl(): string {
  const pkgPath = createRequire(join(PROJECT_ROOT, 'package.json')).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } | string }> };
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
      else if (msg.type === 'done') finish(() => resolve({ report: msg.report, bitDepth: msg.bitDepth, format: msg.format, ms: msg.ms, worker: true }));
      else finish(() => reject(msg.wavCode ? new WavError(msg.wavCode, msg.message) : new Error(msg.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`analysis worker exited with code ${code}`))));
  });
}

/** Decodes and analyses a WAV on disk, in a worker when asked (falling back to this thread if the worker cannot start). */
export async function analyseFile(path: string, options: AnalyseOptions): Promise<FileAnalysis> {
  if (!options.worker) return analyseInline(path, options.onProgress);
  try {
    return await analyseInWorker(path, options.onProgress);
  } catch (error) {
    if (error instanceof WavError) throw error;
    return analyseInline(path, options.onProgress);
  }
}
