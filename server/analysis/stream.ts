import type { StreamAnalysis, StreamSnapshot } from '../../shared/schemas/analysis';
import { RuleBook, fmt } from './result';
import type { Hub } from '../ws/hub';
import { masteringRules } from './rules/mastering';
import { CPU_CRITICAL_PERCENT, CPU_WARNING_PERCENT } from './rules/session-health';

/** Integrated loudness over less than this is still settling: said so, and not judged against the target. */
export const SETTLING_SECONDS = 10;
const MAX_SOURCES = 200;

/** The last finding ids per source, per server (keyed by its services object). */
const lastFindings = new WeakMap<object, Map<string, string[]>>();

/** A live meter snapshot through the mastering rules (plus CPU), with what changed since the source's last one. */
export function analyzeSnapshot(owner: object, snapshot: StreamSnapshot): StreamAnalysis {
  const book = new RuleBook('stream');
  const { target, source, at_ms: _at, measured_seconds, cpu_percent, ...metrics } = snapshot;
  const settling = measured_seconds !== undefined && measured_seconds < SETTLING_SECONDS;
  if (settling && metrics.integrated_lufs !== undefined) {
    book.add(
      'integrated_settling',
      'info',
      0,
      `Integrated loudness covers only ${fmt(measured_seconds!)} s so far (${fmt(metrics.integrated_lufs)} LUFS): not judged yet.`,
      {
        measured_seconds: measured_seconds!,
        integrated_lufs: metrics.integrated_lufs,
        settles_after_seconds: SETTLING_SECONDS,
      },
      'Play at least the loudest section (a chorus or drop) before reading the integrated figure.',
    );
    delete metrics.integrated_lufs;
  }
  masteringRules(book, metrics, target);
  const cpu = book.read('cpu_percent', cpu_percent);
  if (cpu !== undefined && cpu > CPU_WARNING_PERCENT) {
    const critical = cpu > CPU_CRITICAL_PERCENT;
    book.add(
      critical ? 'cpu_critical' : 'cpu_high',
      critical ? 'critical' : 'warning',
      critical ? 25 : 10,
      `Audio CPU at ${fmt(cpu, 0)} % (over ${critical ? CPU_CRITICAL_PERCENT : CPU_WARNING_PERCENT} %): the meters may be reading a stuttering playback.`,
      { cpu_percent: cpu, threshold_percent: critical ? CPU_CRITICAL_PERCENT : CPU_WARNING_PERCENT },
      'Raise the buffer size or freeze heavy tracks, then measure again.',
    );
  }
  const result = book.result('Live figures are on target.');
  const key = source ?? '';
  let perSource = lastFindings.get(owner);
  if (!perSource) lastFindings.set(owner, (perSource = new Map()));
  const ids = result.findings.filter((f) => f.severity !== 'info').map((f) => f.id);
  const before = perSource.get(key) ?? [];
  perSource.delete(key);
  perSource.set(key, ids);
  if (perSource.size > MAX_SOURCES) perSource.delete(perSource.keys().next().value!);
  return {
    ...result,
    target,
    source: source ?? null,
    received_at: new Date().toISOString(),
    changes: { appeared: ids.filter((id) => !before.includes(id)), resolved: before.filter((id) => !ids.includes(id)) },
  };
}

/** Runs a snapshot and tells the 'analysis' subscribers when findings appeared or resolved. */
export function analyzeAndAnnounce(
  services: { hub: { broadcast: Hub['broadcast'] } },
  snapshot: StreamSnapshot,
): StreamAnalysis {
  const analysis = analyzeSnapshot(services, snapshot);
  if (analysis.changes.appeared.length || analysis.changes.resolved.length)
    services.hub.broadcast('analysis', { type: 'stream_findings', analysis });
  return analysis;
}
