import { AnalysisResult, Session } from '../../shared/schemas/analysis';
import { defineRoute, type Route } from '../http/route';

/** A POST /api/analyze/<name> route: a Session in, one analyzer's AnalysisResult out. */
export function sessionAnalyzerRoute(
  name: string,
  summary: string,
  analyze: (session: Session) => AnalysisResult,
): Route {
  return defineRoute({
    method: 'POST',
    path: `/api/analyze/${name}`,
    summary,
    description:
      'Body: a session {tracks: [{name, type, peak, level, pan, plugins, bus, mute, solo, colour, role?}], master: {integrated_lufs, true_peak_dbtp, …}, cpu_percent, tempo_bpm, genre, target, sections}. ' +
      'Answer: status (good | warning | critical), score 0-100, findings citing the inputs (with their evidence and a next step) and recommendations {action, parameter, value, reason}.',
    tag: 'analysis',
    body: Session,
    response: AnalysisResult,
    errors: [400, 413, 415],
    handler: ({ body }) => analyze(body),
  });
}
