import type { FromDawMessage, TeachStep, ToDaw } from '../../../shared/schemas/extension';
import type { DawReport, TransportCommandInput } from '../../../shared/schemas/transport';
import type { DawTabInfo, SiteRequest, TeachState } from '../../lib/messages';
import { checkReport, ReportGate, type GateClock } from './report-gate';
import type { SiteDecision } from './site-permissions';

export interface DawTabsDeps {
  /** browser.tabs.sendMessage: rejects when the tab is gone or has no script of ours. */
  sendToTab(tabId: number, message: ToDaw): Promise<unknown>;
  /** Sends the active tab's state to the server (over the connection). */
  report(report: DawReport): void;
  permissions: {
    ready: Promise<unknown>;
    decision(site: string): SiteDecision;
    set(site: string, allow: boolean): Promise<void>;
  };
  /** What the panel shows changed. */
  changed(): void;
  now?: () => number;
  gateClock?: GateClock;
}

/** Where a runtime message came from, as the browser says. */
export interface DawSender {
  tab?: { id?: number; active?: boolean };
  site: string | null;
}

/**
 * The DAW tabs the background knows: what each last reported, which one is active (it gets the commands and its
 * reports go to the server), the tab waiting for the user to enable its site, and teach mode.
 */
export class DawTabs {
  readonly #tabs = new Map<number, DawTabInfo>();
  #active: number | null = null;
  siteRequest: SiteRequest | null = null;
  teach: TeachState | null = null;
  readonly #gate: ReportGate;
  readonly #now: () => number;

  constructor(private readonly d: DawTabsDeps) {
    this.#now = d.now ?? Date.now;
    // At most 5 reports a second per tab reach the server (the latest wins); a command's outcome goes at once.
    this.#gate = new ReportGate((tabId, report) => {
      if (tabId === this.#active) d.report(report);
    }, d.gateClock);
  }

  get activeTab(): number | null {
    return this.#active;
  }

  get active(): DawTabInfo | null {
    return this.#active !== null ? (this.#tabs.get(this.#active) ?? null) : null;
  }

  has(tabId: number): boolean {
    return this.#tabs.has(tabId);
  }

  /** A message of a DAW tab's script. Nothing of a blocked site is used; an unasked one waits for the user. */
  async received(msg: FromDawMessage, sender: DawSender): Promise<void> {
    const tab = sender.tab;
    const site = sender.site;
    if (tab?.id === undefined || !site) return;
    await this.d.permissions.ready;
    const decision = this.d.permissions.decision(site);
    if (decision === 'blocked') return;
    if (msg.type === 'teach_progress') {
      if (this.teach && this.teach.tabId === tab.id) {
        this.teach = {
          ...this.teach,
          step: msg.step,
          learnt: msg.learnt,
          ...(msg.verified ? { verified: msg.verified } : {}),
          ...(msg.message ? { message: msg.message } : {}),
        };
        this.d.changed();
      }
      return;
    }
    if (decision === 'ask') {
      // Nothing of this page reaches the server, and no command reaches it, until the user enables the site.
      if (tab.active || this.siteRequest === null) {
        this.siteRequest = { tabId: tab.id, site, title: msg.title.slice(0, 120) };
        this.d.changed();
      }
      return;
    }
    const observed = checkReport(msg.observed, { site, tabId: tab.id, controls: msg.controls });
    if (!observed) return;
    if (msg.outcome) observed.outcome = msg.outcome;
    const outcome = msg.outcome ?? this.#tabs.get(tab.id)?.outcome;
    this.#tabs.set(tab.id, {
      tabId: tab.id,
      site,
      title: msg.title,
      observed,
      controls: msg.controls,
      at: this.#now(),
      ...(outcome ? { outcome } : {}),
    });
    if (this.siteRequest?.tabId === tab.id) this.siteRequest = null;
    if (this.#active === null || tab.active) this.#active = tab.id;
    if (this.#active === tab.id) {
      this.#gate.offer(tab.id, observed);
      this.d.changed();
    }
  }

  /** A command for the DAW: to the active tab; a tab that no longer answers is forgotten. */
  async command(command: TransportCommandInput): Promise<void> {
    const tabId = this.#active;
    if (tabId === null) return;
    try {
      await this.d.sendToTab(tabId, { type: 'daw_command', command });
    } catch {
      this.#tabs.delete(tabId);
      if (this.#active === tabId) this.#active = null;
      this.d.changed();
    }
  }

  /** The server asks (a new connection): the active tab's last state at once, then the tab's current one. */
  async reportActive(): Promise<void> {
    const tabId = this.#active;
    if (tabId === null) return;
    const info = this.#tabs.get(tabId);
    if (info) {
      // The tab's state again, without the outcome of an old command (that would confirm a newer pending one).
      const report = { ...info.observed };
      delete report.outcome;
      this.d.report(report);
    }
    await this.d.sendToTab(tabId, { type: 'daw_query' }).catch(() => undefined); // gone: onRemoved follows
  }

  activated(tabId: number): void {
    if (!this.#tabs.has(tabId) || this.#active === tabId) return;
    this.#active = tabId;
    void this.reportActive();
    this.d.changed();
  }

  removed(tabId: number): void {
    this.#tabs.delete(tabId);
    this.#gate.forget(tabId);
    if (this.siteRequest?.tabId === tabId) this.siteRequest = null;
    if (this.teach?.tabId === tabId) this.teach = null;
    if (this.#active === tabId) {
      const next = [...this.#tabs.values()].sort((a, b) => b.at - a.at)[0];
      this.#active = next?.tabId ?? null;
      this.d.changed();
    }
  }

  /** The user enabled or blocked a site in the panel; asked again, an enabled tab reports its current state. */
  async setPermission(site: string, allow: boolean): Promise<void> {
    await this.d.permissions.ready;
    await this.d.permissions.set(site, allow);
    const request = this.siteRequest;
    if (request?.site === site) this.siteRequest = null;
    this.d.changed();
    if (allow && request) await this.d.sendToTab(request.tabId, { type: 'daw_query' }).catch(() => undefined);
  }

  async teachStep(step: TeachStep): Promise<void> {
    const tabId = this.#active;
    if (tabId === null) return;
    if (step === 'start') this.teach = { tabId, site: this.#tabs.get(tabId)?.site ?? '', step: 'play', learnt: {} };
    if (step === 'cancel') this.teach = null;
    this.d.changed();
    await this.d.sendToTab(tabId, { type: 'teach', step }).catch(() => undefined);
  }
}
