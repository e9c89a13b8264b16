import type { ConnectionStatus, ProblemCode } from './connection';
import { t } from './i18n';

const PROBLEM_KEYS: Record<ProblemCode, string> = {
  server_down: 'problemServerDown',
  unauthorized: 'problemUnauthorized',
  forbidden_origin: 'problemForbiddenOrigin',
  forbidden_host: 'problemForbiddenHost',
  protocol_mismatch: 'problemProtocol',
  server_degraded: 'problemDegraded',
  health_failed: 'problemHealth',
  bad_url: 'problemBadUrl',
  local_network_denied: 'problemLocalNetwork',
  unknown: 'problemUnknown',
};

/** What went wrong and what to do next, in words (never the code); empty when nothing is wrong. */
export function problemText(status: ConnectionStatus | null): string {
  const p = status?.problem;
  if (!p) return '';
  const base = t(PROBLEM_KEYS[p.code] ?? 'problemUnknown');
  return p.code === 'server_degraded' && p.message ? `${base}: ${p.message}` : base;
}
