import type {
  AnalysisResult,
  AnalysisStatus,
  AnalyzerName,
  Finding,
  FindingSeverity,
  Recommendation,
} from '../../shared/schemas/analysis';

type Evidence = Finding['evidence'];

/** Rounds a figure for a sentence: 1 decimal by default, no "-0.0". */
export function fmt(value: number, digits = 1): string {
  const r = Math.round(value * 10 ** digits) / 10 ** digits;
  return (Object.is(r, -0) ? 0 : r).toFixed(digits);
}

/** A signed figure for a sentence: "+2.3", "-1.0". */
export const signed = (value: number, digits = 1) => (value > 0 ? '+' : '') + fmt(value, digits);

/**
 * Collects the findings of one analyzer's rules. A finding costs `penalty` points; the score is 100 minus the
 * penalties (floored at 0). The status is critical when a finding is critical or the score is under 50, warning when
 * one is a warning or the score is under 80, good otherwise.
 */
export class RuleBook {
  readonly findings: Finding[] = [];
  readonly recommendations: Recommendation[] = [];
  readonly #used = new Set<string>();
  readonly #missing = new Set<string>();

  constructor(readonly analyzer: AnalyzerName) {}

  /** Marks an input as read; returns it. `undefined` marks it missing. */
  read<T>(name: string, value: T | undefined): T | undefined {
    if (value === undefined || value === null) this.#missing.add(name);
    else this.#used.add(name);
    return value;
  }

  add(
    id: string,
    severity: FindingSeverity,
    penalty: number,
    message: string,
    evidence: Evidence,
    nextStep: string,
    recommendations: Recommendation[] = [],
  ): void {
    this.findings.push({
      id: `${this.analyzer}.${id}`,
      severity,
      message,
      evidence,
      next_step: nextStep,
      penalty: Math.max(0, Math.round(penalty * 10) / 10),
    });
    this.recommendations.push(...recommendations);
  }

  /** A positive note (no penalty), so that a clean result still says what was checked. */
  good(id: string, message: string, evidence: Evidence): void {
    this.add(id, 'info', 0, message, evidence, 'Nothing to change here.');
  }

  result(summaryWhenClean: string): AnalysisResult {
    const penalty = this.findings.reduce((s, f) => s + f.penalty, 0);
    const score = Math.max(0, Math.min(100, Math.round(100 - penalty)));
    const status = statusOf(this.findings, score);
    const problems = this.findings.filter((f) => f.severity !== 'info');
    const order: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };
    const findings = [...this.findings].sort((a, b) => order[a.severity] - order[b.severity] || b.penalty - a.penalty);
    const summary =
      problems.length === 0
        ? summaryWhenClean
        : `${problems.length} issue${problems.length === 1 ? '' : 's'} (score ${score}/100): ${findings
            .filter((f) => f.severity !== 'info')
            .slice(0, 3)
            .map((f) => f.message.replace(/\.$/, ''))
            .join('; ')}.`;
    return {
      analyzer: this.analyzer,
      status,
      score,
      summary,
      findings,
      recommendations: this.recommendations,
      inputs: { used: [...this.#used], missing: [...this.#missing].filter((m) => !this.#used.has(m)) },
    };
  }
}

export function statusOf(findings: readonly Finding[], score: number): AnalysisStatus {
  if (score < 50 || findings.some((f) => f.severity === 'critical')) return 'critical';
  if (score < 80 || findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'good';
}
