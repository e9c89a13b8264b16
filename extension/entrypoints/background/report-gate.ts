import { DawReport } from '../../../shared/schemas/transport';

/**
 * What a DAW tab may report, checked before it reaches the server: the shape (zod, so tempo stays in range), the
 * origin and tab as the browser names them, recording only where the page shows a record control, and a rate: at most
 * one report per `minIntervalMs` per tab (the latest wins; a command's outcome is sent at once).
 */
export function checkReport(raw: unknown, ctx: { site: string; tabId: number; controls: string[] }): DawReport | null {
  const parsed = DawReport.safeParse(raw);
  if (!parsed.success) return null;
  const report: DawReport = { ...parsed.data, site: ctx.site.slice(0, 200), tab_id: ctx.tabId };
  if (report.recording && !ctx.controls.includes('record')) delete report.recording;
  return report;
}

export interface GateClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
}

export class ReportGate {
  readonly #last = new Map<number, number>();
  readonly #waiting = new Map<number, DawReport>();
  /** Reports dropped because a newer one replaced them while waiting (for diagnostics and tests). */
  coalesced = 0;

  constructor(
    private readonly send: (tabId: number, report: DawReport) => void,
    private readonly clock: GateClock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) },
    private readonly minIntervalMs = 200,
  ) {}

  offer(tabId: number, report: DawReport): void {
    const now = this.clock.now();
    const last = this.#last.get(tabId) ?? Number.NEGATIVE_INFINITY;
    if (report.outcome || now - last >= this.minIntervalMs) {
      this.#waiting.delete(tabId);
      this.#last.set(tabId, now);
      this.send(tabId, report);
      return;
    }
    if (this.#waiting.has(tabId)) this.coalesced++;
    else this.clock.setTimeout(() => this.#flush(tabId), last + this.minIntervalMs - now);
    this.#waiting.set(tabId, report);
  }

  #flush(tabId: number): void {
    const report = this.#waiting.get(tabId);
    if (!report) return;
    this.#waiting.delete(tabId);
    this.#last.set(tabId, this.clock.now());
    this.send(tabId, report);
  }

  forget(tabId: number): void {
    this.#last.delete(tabId);
    this.#waiting.delete(tabId);
  }
}
