import type { ControlName } from './profiles';

/**
 * Finding the element a user would press for each transport control. Every element that could name a control is
 * scored by where the name comes from (its own label beats an icon inside it, which beats a class or id fragment),
 * mapped to the clickable target it belongs to (up to the button around an icon, or down into a container with a
 * single button), and the best visible, enabled, smallest target wins, whatever its place in the document.
 */

export type ToggleName = Exclude<ControlName, 'tempo'>;
export const TOGGLE_NAMES: ToggleName[] = ['playpause', 'play', 'pause', 'stop', 'record', 'loop', 'metronome'];

interface Matcher {
  /** The whole label, e.g. "Play" or "Start playback". */
  exact: RegExp;
  /** A word in a label, icon name or class. */
  yes: RegExp;
  no?: RegExp;
}

const MATCHERS: Record<ToggleName, Matcher> = {
  playpause: {
    exact: /^(play ?pause|toggle play(back)?|play ?\/ ?pause)$/,
    yes: /\bplay ?pause\b|\btoggle play(back)?\b|\bplay ?stop\b/,
  },
  play: {
    exact: /^(play|play song|play all|start|start playback|▶|►|⏵)$/,
    yes: /\bplay\b|\bplay arrow\b|▶|►|⏵/,
    no: /\bplay ?pause\b|\bplay ?stop\b|\bplaylist\b|\bplayer\b|\bplay(ing)? ?(pos|position|head|row|line|rate|back rate)\b|\bplayed\b/,
  },
  pause: { exact: /^(pause|⏸|❚❚)$/, yes: /\bpause\b|⏸|❚❚/, no: /\bplay ?pause\b/ },
  stop: { exact: /^(stop|stop playback|stop playing|⏹|■)$/, yes: /\bstop\b|⏹|■/, no: /\bplay ?stop\b/ },
  record: {
    exact: /^(record|rec|⏺|●|arm record(ing)?)$/,
    yes: /\brecord\b|\brec\b|⏺|\brecording\b|\bfiber manual record\b/,
    no: /\brecords\b|\brecent\b|\brect\b/,
  },
  loop: { exact: /^(loop|cycle|repeat|🔁)$/, yes: /\bloop\b|\bcycle\b|\brepeat\b|🔁/ },
  metronome: { exact: /^(metronome|click)$/, yes: /\bmetronome\b/ },
};

/** Subtracted from a hidden control's score: any visible candidate wins over it. */
export const HIDDEN_PENALTY = 1000;

/** Score of where the name was found; a real button adds a little, a smaller target wins ties. */
const SCORE = { exact: 100, label: 80, icon: 60, fragment: 40 } as const;

/** Elements that may name a control (scored), and what counts as something one clicks (the target). */
const NAMERS = [
  'button, [role="button"], [role="switch"], [role="checkbox"], [role="menuitem"], [aria-pressed], a[href]',
  'input[type="button"], input[type="submit"], input[type="image"], input[type="checkbox"]',
  '[onclick], [onmousedown], [onpointerdown], [data-action], [data-command], [title], [aria-label]',
  '[class*="play" i], [class*="stop" i], [class*="rec" i], [class*="loop" i], [class*="pause" i], [class*="metronome" i], [class*="repeat" i], [class*="transport" i] > *',
  '[id*="play" i], [id*="stop" i], [id*="rec" i], [id*="loop" i], [id*="pause" i]',
].join(', ');
const CLICKABLE =
  'button, [role="button"], [role="switch"], [role="checkbox"], [role="menuitem"], a[href], input[type="button"], input[type="submit"], input[type="image"], input[type="checkbox"], [onclick], [onmousedown], [onpointerdown]';
const TEMPO_WORDS = /\btempo\b|\bbpm\b/;

/** Splits "btnPlay", "icon-play_arrow", "fa-circle-stop" into lowercase words. */
export function wordsOf(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_./:#]+/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const attr = (el: Element, name: string) => el.getAttribute(name) ?? '';

/** The element's own accessible name: aria-label(ledby), title, tooltip, alt, a button input's value, short own text. */
export function labelOf(el: Element): string {
  const parts: string[] = [];
  for (const a of ['aria-label', 'title', 'data-tooltip', 'data-title', 'alt']) parts.push(attr(el, a));
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy)
    for (const id of labelledBy.split(/\s+/)) parts.push(el.ownerDocument.getElementById(id)?.textContent ?? '');
  if (el instanceof HTMLInputElement && ['button', 'submit'].includes(el.type)) parts.push(el.value);
  // A field's <label for> names it even when the label is hidden (an icon-only checkbox toggle).
  if (el instanceof HTMLInputElement) for (const l of Array.from(el.labels ?? [])) parts.push(l.textContent ?? '');
  const text = (el.textContent ?? '').trim();
  if (text.length <= 24) parts.push(text);
  // Parts stay apart (" | ") so that one of them can be the exact label ("Play" as title, "▶" as text).
  return parts.map(wordsOf).filter(Boolean).join(' | ');
}

/** Names of icons inside or on it: <i class="fa-play">, <svg><use href="#icon-stop">, <img alt="record">, data-icon. */
export function iconOf(el: Element): string {
  const parts = [attr(el, 'data-icon')];
  for (const child of Array.from(el.querySelectorAll('svg, use, i, span, img')).slice(0, 6)) {
    parts.push(
      attr(child, 'class'),
      attr(child, 'href'),
      attr(child, 'xlink:href'),
      attr(child, 'data-icon'),
      attr(child, 'alt'),
    );
  }
  if (el instanceof HTMLImageElement)
    parts.push(
      el
        .getAttribute('src')
        ?.split('/')
        .pop()
        ?.replace(/\.\w+$/, '') ?? '',
    );
  return wordsOf(parts.filter(Boolean).join(' '));
}

/** Class, id, name and action attributes: the weakest evidence. */
export function fragmentOf(el: Element): string {
  return wordsOf(
    [attr(el, 'class'), attr(el, 'id'), attr(el, 'name'), attr(el, 'data-action'), attr(el, 'data-command')].join(' '),
  );
}

export function isVisible(el: Element): boolean {
  if (el.closest('[hidden]')) return false;
  const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  if (typeof check === 'function' && !check.call(el, { visibilityProperty: true, opacityProperty: false }))
    return false;
  let node: Element | null = el;
  while (node) {
    const style = (node as HTMLElement).style;
    if (style && (style.display === 'none' || style.visibility === 'hidden')) return false;
    node = node.parentElement;
  }
  // With layout (a real browser), a target of no size cannot be pressed; happy-dom has no layout at all.
  const rect = el.getBoundingClientRect();
  const hasLayout = el.ownerDocument.documentElement.getBoundingClientRect().height > 0;
  return !hasLayout || rect.width * rect.height > 0;
}

export function isEnabled(el: Element): boolean {
  return (
    !(el as HTMLButtonElement).disabled &&
    el.getAttribute('aria-disabled') !== 'true' &&
    !el.closest('fieldset[disabled]')
  );
}

function looksClickable(el: Element): boolean {
  if (el.matches(CLICKABLE)) return true;
  const tabindex = el.getAttribute('tabindex');
  if (tabindex !== null && Number(tabindex) >= 0) return true;
  const view = el.ownerDocument.defaultView;
  return !!view && view.getComputedStyle(el).cursor === 'pointer';
}

/**
 * The element a press should go to: itself when clickable, else the clickable ancestor it sits in (an icon inside a
 * button), else a container's only clickable descendant; null for a container of several buttons (each is scored).
 */
export function targetOf(el: Element): Element | null {
  const inner = Array.from(el.querySelectorAll(CLICKABLE)).slice(0, 2);
  if (inner.length > 1) return null;
  if (inner.length === 1 && !el.matches('button, input')) return inner[0]!;
  if (looksClickable(el)) return el;
  let up = el.parentElement;
  for (let i = 0; up && i < 3; i++, up = up.parentElement) {
    if (looksClickable(up)) return up;
  }
  return el;
}

export interface Candidate {
  name: ToggleName;
  el: Element;
  score: number;
  /** Where the name came from, for the panel and tests. */
  source: keyof typeof SCORE;
}

function scoreFor(
  name: ToggleName,
  label: string,
  icon: string,
  fragment: string,
): { score: number; source: keyof typeof SCORE } | null {
  const m = MATCHERS[name];
  const all = `${label} ${icon} ${fragment}`;
  if (m.no?.test(all)) return null;
  if (label && label.split(' | ').some((part) => m.exact.test(part))) return { score: SCORE.exact, source: 'exact' };
  if (m.yes.test(label)) return { score: SCORE.label, source: 'label' };
  if (m.yes.test(icon)) return { score: SCORE.icon, source: 'icon' };
  if (m.yes.test(fragment)) return { score: SCORE.fragment, source: 'fragment' };
  return null;
}

/** Smaller targets and real buttons win ties (a whole toolbar is not the play button). */
function bonus(target: Element): number {
  let b = 0;
  if (target.matches('button, [role="button"], input[type="button"], input[type="submit"]')) b += 10;
  else if (target.matches(CLICKABLE)) b += 5;
  const rect = target.getBoundingClientRect();
  const area = rect.width * rect.height;
  if (area > 0) b -= Math.min(8, area / 20_000);
  return b;
}

/** The controls an element names now, with their scores (an icon swapped from play to pause changes this). */
export function namesOf(el: Element): { name: ToggleName; score: number }[] {
  const label = labelOf(el);
  const icon = iconOf(el);
  const fragment = fragmentOf(el);
  const out: { name: ToggleName; score: number }[] = [];
  for (const name of TOGGLE_NAMES) {
    const s = scoreFor(name, label, icon, fragment);
    if (s) out.push({ name, score: s.score });
  }
  return out;
}

/** All candidates per control, best first. */
export function rankControls(doc: Document, ignore = '[data-codette-ignore]'): Map<ToggleName, Candidate[]> {
  const best = new Map<ToggleName, Map<Element, Candidate>>();
  for (const el of Array.from(doc.querySelectorAll(NAMERS))) {
    if (el.closest(ignore)) continue;
    if (el instanceof HTMLInputElement && !['button', 'submit', 'image', 'checkbox'].includes(el.type)) continue;
    const label = labelOf(el);
    const icon = iconOf(el);
    const fragment = fragmentOf(el);
    if (!label && !icon && !fragment) continue;
    let target: Element | null | undefined;
    for (const name of TOGGLE_NAMES) {
      const s = scoreFor(name, label, icon, fragment);
      if (!s) continue;
      target ??= targetOf(el);
      if (!target || !isEnabled(target)) break;
      // A hidden control still counts (apps that swap play for stop while playing), after every visible one.
      const score = s.score + bonus(target) - (target === el ? 0 : 1) - (isVisible(target) ? 0 : HIDDEN_PENALTY);
      const byTarget = best.get(name) ?? new Map<Element, Candidate>();
      best.set(name, byTarget);
      const prev = byTarget.get(target);
      if (!prev || prev.score < score) byTarget.set(target, { name, el: target, score, source: s.source });
    }
  }
  const ranked = new Map<ToggleName, Candidate[]>();
  for (const [name, byTarget] of best)
    ranked.set(
      name,
      [...byTarget.values()].sort((a, b) => b.score - a.score),
    );
  return ranked;
}

export function findTempo(doc: Document): Element | undefined {
  for (const el of Array.from(doc.querySelectorAll('input, [role="spinbutton"], [contenteditable="true"]'))) {
    if (el instanceof HTMLInputElement && !['text', 'number', 'range', ''].includes(el.type)) continue;
    let words = `${labelOf(el)} ${fragmentOf(el)} ${wordsOf(el.getAttribute('placeholder') ?? '')}`;
    const id = el.getAttribute('id');
    if (id) words += ' ' + wordsOf(doc.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent ?? '');
    words += ' ' + wordsOf(el.closest('label')?.textContent ?? '');
    if (TEMPO_WORDS.test(words) && isVisible(el)) return el;
  }
  return undefined;
}

export interface TempoStepper {
  inc: Element;
  dec: Element;
  /** Shows the tempo as a number (its own text). */
  display: Element;
}

const rawNames = (el: Element) =>
  `${el.id} ${typeof el.className === 'string' ? el.className : ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('alt') ?? ''}`.toLowerCase();

/**
 * Apps without a tempo field often have a number and two buttons beside it (MIDIDrums: "100 bpm" with -4/+4 images):
 * the tempo is set by pressing the right one until the number is the wanted one.
 */
export function findTempoStepper(doc: Document): TempoStepper | undefined {
  const named = Array.from(
    doc.querySelectorAll(
      '[id*="tempo" i], [class*="tempo" i], [id*="bpm" i], [class*="bpm" i], [title*="tempo" i], [aria-label*="tempo" i]',
    ),
  );
  const inc = named.find(
    (el) => /(inc(rease)?|plus|up|faster|\+)/.test(rawNames(el).replace(/tempo|bpm/g, ' ')) && isVisible(el),
  );
  const dec = named.find(
    (el) => /(dec(rease)?|minus|down|slower|−)/.test(rawNames(el).replace(/tempo|bpm/g, ' ')) && isVisible(el),
  );
  const display = named.find(
    (el) => el.children.length === 0 && /^\s*\d{2,3}(\.\d+)?\s*$/.test(el.textContent ?? '') && isVisible(el),
  );
  return inc && dec && display ? { inc: targetOf(inc) ?? inc, dec: targetOf(dec) ?? dec, display } : undefined;
}
