import type { DawAdapter } from './adapter';
import { targetOf } from './controls';
import { press } from './press';
import type { SiteProfile, StateRule } from './profiles';
import { StateLearner } from './state-learner';
import { SETTINGS_KEY } from '../lib/settings-key';

/**
 * Teach mode: the page outlines the control under the pointer; the user clicks the app's play, then stop (then, if
 * they like, record, loop and the tempo field). Clicks are caught before the app sees them. Saving stores a profile
 * for this origin, which the adapter uses at once, and checks it: play must make the DAW play, stop must stop it.
 */

export type TeachStep = 'play' | 'stop' | 'record' | 'loop' | 'tempo';
const STEPS: TeachStep[] = ['play', 'stop', 'record', 'loop', 'tempo'];

export interface TeachProgress {
  step: TeachStep | null;
  learnt: Partial<Record<TeachStep, string>>;
  verified?: { play: boolean; stop: boolean };
  message?: string;
}

/** A selector that finds exactly this element again: id, a label, or a path of nth-of-type from an id or the body. */
export function selectorFor(el: Element): string {
  const doc = el.ownerDocument;
  const unique = (sel: string) => {
    try {
      return doc.querySelectorAll(sel).length === 1 && doc.querySelector(sel) === el;
    } catch {
      return false;
    }
  };
  const tag = el.tagName.toLowerCase();
  if (el.id && unique(`#${CSS.escape(el.id)}`)) return `#${CSS.escape(el.id)}`;
  for (const a of ['aria-label', 'title', 'data-action', 'name']) {
    const v = el.getAttribute(a);
    if (v && unique(`${tag}[${a}="${CSS.escape(v)}"]`)) return `${tag}[${a}="${CSS.escape(v)}"]`;
  }
  const parts: string[] = [];
  let node: Element | null = el;
  while (node && node !== doc.body && node !== doc.documentElement) {
    if (node.id && node !== el && unique(`#${CSS.escape(node.id)}`)) {
      parts.unshift(`#${CSS.escape(node.id)}`);
      break;
    }
    const t = node.tagName.toLowerCase();
    const siblings = node.parentElement
      ? Array.from(node.parentElement.children).filter((c) => c.tagName === node!.tagName)
      : [];
    parts.unshift(siblings.length > 1 ? `${t}:nth-of-type(${siblings.indexOf(node) + 1})` : t);
    node = node.parentElement;
  }
  if (parts[0]?.startsWith('#') !== true) parts.unshift('body');
  return parts.join(' > ');
}

export class TeachMode {
  #step: TeachStep | null = null;
  #learnt: Partial<Record<TeachStep, string>> = {};
  #box: HTMLElement | null = null;
  #off: (() => void) | null = null;

  constructor(
    private readonly doc: Document,
    private readonly adapter: DawAdapter,
    private readonly report: (progress: TeachProgress) => void,
    private readonly storage: {
      get(k: string): Promise<Record<string, unknown>>;
      set(v: Record<string, unknown>): Promise<void>;
    },
  ) {}

  get active(): boolean {
    return this.#off !== null;
  }

  async step(step: 'start' | 'skip' | 'save' | 'cancel'): Promise<void> {
    if (step === 'start') this.#start();
    else if (step === 'skip') this.#advance();
    else if (step === 'cancel') this.cancel();
    else await this.save();
  }

  #start(): void {
    this.cancel();
    this.#learnt = {};
    this.#step = 'play';
    const box = this.doc.createElement('div');
    box.setAttribute('data-codette-ignore', '');
    box.style.cssText =
      'position:fixed;pointer-events:none;z-index:2147483647;border:2px solid #7c3aed;border-radius:4px;box-shadow:0 0 0 4px rgba(124,58,237,.25);display:none';
    this.doc.documentElement.appendChild(box);
    this.#box = box;
    const move = (e: Event) => {
      const el = this.#targetAt(e.target);
      if (!el) return;
      const r = el.getBoundingClientRect();
      Object.assign(box.style, {
        display: 'block',
        left: `${r.left - 3}px`,
        top: `${r.top - 3}px`,
        width: `${r.width + 2}px`,
        height: `${r.height + 2}px`,
      });
    };
    // The app must not react to the teaching clicks: caught in the capture phase, before its own listeners.
    const swallow = (e: Event) => {
      if (!e.isTrusted || !this.#step) return;
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    const pick = (e: Event) => {
      swallow(e);
      if (!e.isTrusted) return;
      const el = this.#targetAt(e.target);
      if (el) this.pick(el);
    };
    const win = this.doc.defaultView!;
    const types: [string, EventListener][] = [
      ['pointermove', move],
      ['pointerdown', swallow],
      ['mousedown', swallow],
      ['pointerup', swallow],
      ['mouseup', swallow],
      ['click', pick],
    ];
    for (const [t, fn] of types) win.addEventListener(t, fn, true);
    this.#off = () => {
      for (const [t, fn] of types) win.removeEventListener(t, fn, true);
    };
    this.#send();
  }

  #targetAt(target: EventTarget | null): Element | null {
    if (!(target instanceof Element) || target.closest('[data-codette-ignore]')) return null;
    if (this.#step === 'tempo') return target.closest('input, [role="spinbutton"], [contenteditable="true"]');
    return targetOf(target) ?? target;
  }

  /** The user clicked `el` for the current step. */
  pick(el: Element): void {
    if (!this.#step) return;
    this.#learnt = { ...this.#learnt, [this.#step]: selectorFor(el) };
    this.#advance();
  }

  #advance(): void {
    if (!this.#step) return;
    const next = STEPS[STEPS.indexOf(this.#step) + 1] ?? null;
    this.#step = next;
    if (!next) this.#stopListening();
    this.#send();
  }

  #send(extra: Partial<TeachProgress> = {}): void {
    this.report({ step: this.#step, learnt: { ...this.#learnt }, ...extra });
  }

  #stopListening(): void {
    this.#off?.();
    this.#off = null;
    this.#box?.remove();
    this.#box = null;
  }

  cancel(): void {
    this.#stopListening();
    this.#step = null;
  }

  /** Stores the profile for this origin (replacing an older one), uses it, and checks play and stop at once. */
  async save(): Promise<void> {
    this.#stopListening();
    this.#step = null;
    if (!this.#learnt.play) {
      this.#send({ message: 'missing: play' });
      return;
    }
    const origin = this.doc.location.origin;
    const selectors: NonNullable<SiteProfile['selectors']> = {};
    for (const [k, v] of Object.entries(this.#learnt)) if (v) selectors[k as TeachStep] = v;
    const shown = await this.#learnState();
    const profile: SiteProfile = {
      match: origin,
      name: this.doc.title.slice(0, 80) || origin,
      taught: true,
      selectors,
      ...(shown.rule ? { state: { playing: shown.rule } } : {}),
      ...(shown.reactMs !== undefined ? { reactMs: shown.reactMs } : {}),
    };
    const items = await this.storage.get(SETTINGS_KEY);
    const settings = (items[SETTINGS_KEY] as { profiles?: SiteProfile[] } | undefined) ?? {};
    const profiles = (Array.isArray(settings.profiles) ? settings.profiles : []).filter((p) => p.match !== origin);
    await this.storage.set({ [SETTINGS_KEY]: { ...settings, profiles: [...profiles, profile] } });
    this.adapter.profile = profile;
    const play = await this.adapter.execute({ action: 'play' });
    const stop = await this.adapter.execute({ action: 'stop' });
    const ok = (o: { ok: boolean; via?: string }) => o.ok && !(o.via ?? '').includes('unverified');
    const verified = { play: ok(play), stop: ok(stop) };
    const missing = STEPS.filter((s) => !this.#learnt[s]);
    const message = [
      verified.play && verified.stop
        ? 'verified: play and stop change the DAW'
        : `not verified: ${!verified.play ? 'play' : 'stop'} did not visibly change the DAW`,
      shown.rule ? `playing shows as ${describeRule(shown.rule)}` : '',
      missing.length ? `not taught: ${missing.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    this.#send({ verified, message });
  }

  /**
   * Presses the taught play, watches what in the page flips and stays flipped (up to 10 s: some apps render the
   * song first), presses the taught stop (or play again) and keeps what flipped back: how the app shows "playing".
   * Also how long it took to show it.
   */
  async #learnState(): Promise<{ rule?: StateRule; reactMs?: number }> {
    const find = (sel: string | undefined) => {
      try {
        return sel ? this.doc.querySelector(sel) : null;
      } catch {
        return null;
      }
    };
    const play = find(this.#learnt.play);
    if (!play) return {};
    const stop = find(this.#learnt.stop);
    const learner = new StateLearner(this.doc, stop ? [play, stop] : [play], selectorFor);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const t0 = performance.now();
      this.adapter.expectChange(12_000);
      press(play);
      let playingAt: number | null = null;
      let shownAt: number | null = null;
      for (let now = t0; now - t0 < 10_000; now = performance.now()) {
        await sleep(100);
        learner.poll(performance.now());
        if (learner.settled(performance.now(), 400)) {
          shownAt = learner.firstSteadySince() ?? performance.now();
          break;
        }
        // Nothing in the page flips, but the app plays by another sign (its sound): no need to wait longer.
        if (this.adapter.observe().playing === true) {
          playingAt ??= performance.now();
          if (performance.now() - playingAt >= 1_000) break;
        }
      }
      this.adapter.expectChange(6_000);
      press(stop ?? play);
      const t1 = performance.now();
      while (shownAt !== null && performance.now() - t1 < 5_000 && !learner.someBack()) await sleep(100);
      await sleep(300);
      const rule = learner.best();
      const reactAt = shownAt ?? playingAt;
      return {
        ...(rule ? { rule } : {}),
        ...(reactAt !== null ? { reactMs: Math.round(reactAt - t0) } : {}),
      };
    } finally {
      learner.stop();
    }
  }
}

/** "class playing on #play", "data-playing=true on #playBtn", ".playpos present". */
function describeRule(rule: StateRule): string {
  if (rule.present) return `${rule.selector} shown`;
  if (rule.attribute) return `${rule.attribute}=${rule.value ?? 'true'} on ${rule.selector}`;
  return `class ${rule.className} on ${rule.selector}`;
}
