import type { H3Event } from 'h3';
import { WavError } from '../../shared/dsp/index';
import type { AudioAnalysisProgress, AudioAnalysisQuery, AudioAnalysisReport } from '../../shared/schemas/analysis';
import { toApiError } from '../http/errors';
import type { Services } from '../services';
import { analyseFile, type FileAnalysis } from './analyse-file';
import { buildAudioReport } from './audio-report';
import { formFields, receiveWav, tooLong, wavApiError, MAX_DURATION_SECONDS, type ReceivedWav } from './upload';

/** Files at least this long are analysed in a worker thread: the server keeps answering and progress streams live. */
export const WORKER_ABOVE_SECONDS = 60;

const encoder = new TextEncoder();
const sse = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export function wantsEventStream(event: H3Event): boolean {
  return (event.req.headers.get('accept') ?? '').includes('text/event-stream');
}

/** Decode + analyse a received WAV; WavErrors become the client's 415/422, a file over the limit 413. */
export async function analyseReceived(
  received: ReceivedWav,
  onProgress?: (fraction: number) => void,
): Promise<FileAnalysis> {
  const long = (received.info?.durationSeconds ?? Infinity) >= WORKER_ABOVE_SECONDS;
  let analysis: FileAnalysis;
  try {
    analysis = await analyseFile(received.path, { worker: long, ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    if (error instanceof WavError) throw wavApiError(error);
    throw error;
  }
  if (analysis.report.duration_s > MAX_DURATION_SECONDS) throw tooLong(analysis.report.duration_s);
  return analysis;
}

/**
 * POST /api/analyze/audio: receive, check, analyse, and answer the report; with `Accept: text/event-stream`,
 * `progress` events ({fraction, stage}) then one `report` event (or an `error` event). Every refusal that can be
 * known before analysing (type, size, format, length) is a plain 4xx either way.
 */
export async function analyzeAudioRequest(
  event: H3Event,
  services: Services,
  query: AudioAnalysisQuery,
): Promise<AudioAnalysisReport | Response> {
  const received = await receiveWav(event, services, query.session_id);
  const target = formFields(received.fields).target ?? query.target;
  const fileId = received.record.id;
  // Every analysis also reports to the WebSocket clients that subscribed to 'analysis' (the side panel).
  const announce = (p: AudioAnalysisProgress) =>
    services.hub.broadcast('analysis', { type: 'analysis_progress', file_id: fileId, ...p });
  const finish = (report: AudioAnalysisReport) => {
    services.hub.broadcast('analysis', {
      type: 'analysis_done',
      file_id: fileId,
      status: report.status,
      score: report.score,
      summary: report.summary,
    });
    return report;
  };
  if (!wantsEventStream(event)) {
    announce({ fraction: 0, stage: 'decoding' });
    let last = 0;
    const analysis = await analyseReceived(received, (fraction) => {
      if (fraction - last >= 0.02 && fraction < 1) {
        last = fraction;
        announce({ fraction: Math.round(fraction * 1000) / 1000, stage: 'analysing' });
      }
    });
    announce({ fraction: 1, stage: 'done' });
    return finish(buildAudioReport(analysis, received.record, target));
  }
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const progress = (p: AudioAnalysisProgress) => {
        controller.enqueue(sse('progress', p));
        announce(p);
      };
      try {
        progress({ fraction: 0, stage: 'decoding' });
        let last = 0;
        const analysis = await analyseReceived(received, (fraction) => {
          // At most ~50 events: every 2 %.
          if (fraction - last >= 0.02 && fraction < 1) {
            last = fraction;
            progress({ fraction: Math.round(fraction * 1000) / 1000, stage: 'analysing' });
          }
        });
        progress({ fraction: 1, stage: 'done' });
        controller.enqueue(sse('report', finish(buildAudioReport(analysis, received.record, target))));
      } catch (error) {
        const { api, unexpected } = toApiError(error);
        if (unexpected) services.log.error('audio analysis failed', { err: String(error) });
        controller.enqueue(
          sse('error', {
            error: {
              code: api.code,
              message: api.message,
              ...(api.details === undefined ? {} : { details: api.details }),
            },
          }),
        );
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
  });
}
