import { isVisible } from './controls';
import type { StateRule } from './profiles';

/**
 * Learning how an app shows that it plays, from what changes in its page when its play control is pressed and changes
 * back when its stop control is: a class or attribute of some element that flips and stays flipped while it plays
 * ("playing" on the play button, data-playing="true"), a class that appears somewhere only while it plays (SoundBox's
 * `.playpos` row marker), or a control that shows only while it plays. Used by teach mode; nothing here runs otherwise.
 */

/** Attributes whose changes can tell a state ('style' is left out: meters and playheads animate it every frame). */
const TELLING = /^(class|aria-(pressed|checked|label|selected)|title|alt|src|href|hidden|data-[\w-]+)$/;

interface Candidate {
  key: string;
  rule: StateRule;
  /** How close it sits to the taught controls: the control itself 2, around or inside one 1, elsewhere 0. */
  near: number;
  /** Seen true since (ms), or null once seen false after it was true (it flickers: a moving marker). */
  since: number | null;
}

export function evaluateRule(doc: Document, rule: StateRule): boolean | undefined {
  let el: Element | null;
  try {
    el = doc.querySelector(rule.selector);
  } catch {
    return undefined;
  }
  if (rule.present) return !!el && isVisible(el);
  if (!el) return undefined;
  if (rule.attribute) {
    const v = el.getAttribute(rule.attribute);
    return rule.value !== undefined ? v === rule.value : v === 'true' || v === '';
  }
  if (rule.className) return el.classList.contains(rule.className);
  return undefined;
}

function classTokens(doc: Document): Set<string> {
  const tokens = new Set<string>();
  for (const el of Array.from(doc.querySelectorAll('[class]'))) for (const t of Array.from(el.classList)) tokens.add(t);
  return tokens;
}

/**
 * Watches the page from `start()` (before play is pressed) on. `poll()` while the app starts playing gives the
 * rules that hold; `settled()` tells when some rule has held long enough; `after` the stop, `best()` keeps the rules
 * that went back to false and picks the one nearest the controls.
 */
export class StateLearner {
  readonly #observer: MutationObserver;
  /** Elements that changed, each with its attributes' values before the first change. */
  readonly #before = new Map<Element, Map<string, string | null>>();
  readonly #candidates = new Map<string, Candidate>();
  readonly #tokensBefore: Set<string>;
  readonly #shownBefore: Map<Element, boolean>;

  constructor(
    private readonly doc: Document,
    /** The taught controls (play, stop...): changes on them or around them are the likeliest to tell the state. */
    private readonly controls: Element[],
    private readonly selectorOf: (el: Element) => string,
  ) {
    this.#tokensBefore = classTokens(doc);
    this.#shownBefore = new Map(controls.map((el) => [el, isVisible(el)]));
    this.#observer = new doc.defaultView!.MutationObserver((records) => {
      for (const r of records) {
        if (r.type !== 'attributes' || !r.attributeName || !TELLING.test(r.attributeName)) continue;
        const el = r.target as Element;
        if (el.closest('[data-codette-ignore]')) continue;
        let attrs = this.#before.get(el);
        if (!attrs) this.#before.set(el, (attrs = new Map()));
        if (!attrs.has(r.attributeName)) attrs.set(r.attributeName, r.oldValue);
      }
    });
    this.#observer.observe(doc.documentElement, { attributes: true, attributeOldValue: true, subtree: true });
  }

  #near(el: Element): number {
    if (this.controls.includes(el)) return 2;
    return this.controls.some((c) => c.contains(el) || el.contains(c)) ? 1 : 0;
  }

  #offer(rule: StateRule, near: number, now: number): void {
    const key = JSON.stringify(rule);
    if (!this.#candidates.has(key)) this.#candidates.set(key, { key, rule, near, since: now });
  }

  /** While the app starts to play: new rules from what changed, and each known rule checked again. */
  poll(now: number): void {
    for (const [el, attrs] of this.#before) {
      if (!el.isConnected) continue;
      for (const [name, was] of attrs) {
        const is = el.getAttribute(name);
        if (is === was) continue;
        if (name === 'class') {
          const old = new Set((was ?? '').split(/\s+/).filter(Boolean));
          // A class new to the whole page on an element other than the controls: its presence anywhere tells
          // (below), not this element's (a marker that moves from row to row).
          for (const t of Array.from(el.classList))
            if (!old.has(t) && (this.#tokensBefore.has(t) || this.#near(el) === 2))
              this.#offer({ selector: this.selectorOf(el), className: t }, this.#near(el), now);
        } else if (is !== null) {
          this.#offer({ selector: this.selectorOf(el), attribute: name, value: is }, this.#near(el), now);
        }
      }
      // A class that did not exist anywhere before play and does now: its presence is the state (a playhead marker).
      for (const t of Array.from(el.classList))
        if (!this.#tokensBefore.has(t) && /^[A-Za-z_][\w-]*$/.test(t))
          this.#offer({ selector: `.${t}`, present: true }, 0, now);
    }
    for (const [el, shown] of this.#shownBefore)
      if (!shown && isVisible(el)) this.#offer({ selector: this.selectorOf(el), present: true }, 2, now);
    for (const c of this.#candidates.values()) {
      if (c.since === null) continue;
      if (evaluateRule(this.doc, c.rule) !== true) c.since = null;
    }
  }

  /** Some rule has held for `holdMs` without a break. */
  settled(now: number, holdMs: number): boolean {
    return [...this.#candidates.values()].some((c) => c.since !== null && now - c.since >= holdMs);
  }

  /** When the steadiest rule first held. */
  firstSteadySince(): number | undefined {
    const times = [...this.#candidates.values()].map((c) => c.since).filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : undefined;
  }

  /** After the stop: some steady rule reads false again. */
  someBack(): boolean {
    return [...this.#candidates.values()].some((c) => c.since !== null && evaluateRule(this.doc, c.rule) === false);
  }

  /** Once the app was stopped: the steady rules that now read false, best first (nearest the controls, then steadiest). */
  best(): StateRule | undefined {
    this.#observer.disconnect();
    const kept = [...this.#candidates.values()].filter(
      (c) => c.since !== null && evaluateRule(this.doc, c.rule) === false,
    );
    const kind = (r: StateRule) => (r.attribute ? 2 : r.className ? 1 : 0);
    kept.sort((a, b) => b.near - a.near || kind(b.rule) - kind(a.rule) || a.since! - b.since!);
    return kept[0]?.rule;
  }

  stop(): void {
    this.#observer.disconnect();
  }
}
