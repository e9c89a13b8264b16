/** Worker thread: decodes and analyses one WAV file (workerData.path), posting progress and the report. */
import { parentPort, workerData } from 'node:worker_threads';
import { WavError } from '../../shared/dsp/index';
import { analyseInline, type WorkerReply } from './analyse-file';

const post = (msg: WorkerReply) => parentPort!.postMessage(msg);
const { path } = workerData as { path: string };

try {
  const result = await analyseInline(path, (fraction) => post({ type: 'progress', fraction }));
  post({ type: 'done', report: result.report, bitDepth: result.bitDepth, format: result.format, ms: result.ms });
} catch (error) {
  post(
    error instanceof WavError
      ? { type: 'error', wavCode: error.code, message: error.message }
      : { type: 'error', message: String(error) },
  );
}
