import type { DawReport, TransportCommandInput } from '../../shared/schemas/transport';
import { TEMPO_MAX_BPM, TEMPO_MIN_BPM } from '../../shared/constants';
import type { DawCommandResult } from '../lib/messages';
import { DEFAULT_KEYS, parseKey, type ControlName, type KeyAction, type SiteProfile, type StateName, type StateRule } from './profiles';

/**
 * The generic transport adapter: finds a web DAW's transport controls by role, label, title, text, icon and class
 * names; reads their state from attributes, classes and swapped icons; carries out commands by clicking them, and
 * falls back to the app's keyboard shortcuts, to <audio>/<video>, and to what the main-world AudioContext hook hears.
 */

type ToggleName = Exclude<ControlName, 'tempo'>;

const MATCHERS: Record<ToggleName, { yes: RegExp; no?: RegExp }> = {
  playpause: { yes: /\bplay ?pause\b|\btoggle play(back)?\b|\bplay ?stop\b/ },
  play: { yes: /\bplay\b|\bplay arrow\b|▶|►|⏵/, no: /\bplay ?pause\b|\bplay ?stop\b|\bplaylist\b|\bplayer\b/ },
  pause: { yes: /\bpause\b|⏸|❚❚/, no: /\bplay ?pause\b/ },
  stop: { yes: /\bstop\b|⏹|■/, no: /\bplay ?stop\b/ },
  record: { yes: /\brecord\b|\brec\b|⏺|\brecording\b|\bfiber manual record\b/ },
  loop: { yes: /\bloop\b|\bcycle\b|\brepeat\b|🔁/ },
  metronome: { yes: /\bmetronome\b|\bclick\b/ },
};
const TEMPO_WORDS = /\btempo\b|\bbpm\b/;
const ON_CLASS = /^(active|is-active|on|is-on|pressed|selected|checked|enabled|engaged|armed|playing|is-playing|recording|is-recording|toggled)$/;
const CANDIDATES =
  'button, [role="button"], [role="switch"], [role="checkbox"], [aria-pressed], a[href="#"], a[role], input[type="button"], input[type="checkbox"], [data-action], [data-command], [title], [aria-label], [class*="play" i], [class*="stop" i], [class*="rec" i], [class*="loop" i], [class*="pause" i], [class*="metronome" i], [class*="transport" i] > *';

/** Splits "btnPlay", "icon-play_arrow", "fa-circle-stop" into lowercase words. */
export function wordsOf(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_./:]+/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Everything that names an element: labels, title, short text, class names, id, icons inside it. */
export function describe(el: Element): string {
  const parts: string[] = [];
  for (const a of ['aria-label', 'title', 'data-tooltip', 'data-title', 'data-action', 'data-command', 'data-icon', 'name', 'id', 'alt', 'value']) {
    const v = el.getAttribute(a);
    if (v && !(a === 'value' && el instanceof HTMLInputElement && el.type !== 'button')) parts.push(v);
  }
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) for (const id of labelledBy.split(/\s+/)) parts.push(el.ownerDocument.getElementById(id)?.textContent ?? '');
  parts.push(typeof el.className === 'string' ? el.className : (el.getAttribute('class') ?? ''));
  const text = (el.textContent ?? '').trim();
  if (text.length <= 24) parts.push(text);
  // Icons: classes and sprite references of children (svg <use href="#icon-play">, <i class="fa-play">).
  for (const child of Array.from(el.querySelectorAll('svg, use, i, span, img')).slice(0, 6)) {
    parts.push(child.getAttribute('class') ?? '', child.getAttribute('href') ?? '', child.getAttribute('xlink:href') ?? '', child.getAttribute('data-icon') ?? '', child.getAttribute('alt') ?? '');
  }
  return wordsOf(parts.join(' '));
}

export function isVisible(el: Element): boolean {
  if (el.closest('[hidden], [aria-hidden="true"]')) return false;
  let node: Element | null = el;
  const view = el.ownerDocument.defaultView;
  while (node) {
    const style = (node as HTMLElement).style;
    if (style && (style.display === 'none' || style.visibility === 'hidden')) return false;
    if (view && node === el) {
      const cs = view.getComputedStyle(node);
      if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    }
    node = node.parentElement;
  }
  return true;
}

function isOn(el: Element): boolean | undefined {
  for (const a of ['aria-pressed', 'aria-checked', 'data-active', 'data-state', 'data-on']) {
    const v = el.getAttribute(a);
    if (v === null) continue;
    if (/^(true|on|active|playing|recording|1)$/i.test(v)) return true;
    if (/^(false|off|inactive|stopped|paused|0|mixed)$/i.test(v)) return false;
  }
  if (el instanceof HTMLInputElement && el.type === 'checkbox') return el.checked;
  const classes = (el.getAttribute('class') ?? '').split(/\s+/);
  if (classes.some((c) => ON_CLASS.test(c.toLowerCase()) || /(^|[-_])(active|on|pressed|playing|recording|engaged)$/i.test(c))) return true;
  // A toggle that shows no pressed state at all: unknown rather than off.
  return el.hasAttribute('aria-pressed') || el.hasAttribute('aria-checked') ? false : undefined;
}

function applyRule(doc: Document, rule: StateRule): boolean | undefined {
  const el = doc.querySelector(rule.selector);
  if (rule.present) return !!el && isVisible(el);
  if (!el) return undefined;
  if (rule.attribute) {
    const v = el.getAttribute(rule.attribute);
    return rule.value !== undefined ? v === rule.value : v === 'true' || v === '';
  }
  if (rule.className) return el.classList.contains(rule.className);
  return isOn(el);
}

/** How long a play/pause key press is trusted over what the page shows (apps drawn on a canvas report late). */
const TOGGLE_SETTLE_MS = 1500;

export interface AudioSignal {
  /** Sound is coming out of an AudioContext of the page. */
  playing: boolean;
  contexts: number;
}

export interface AdapterOptions {
  profile?: SiteProfile;
  /** Called (debounced) whenever the observed state changes. */
  onChange?: (report: DawReport) => void;
  debounceMs?: number;
}

type Found = Partial<Record<ControlName, Element>>;

export class DawAdapter {
  #observer: MutationObserver | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #last = '';
  #audio: AudioSignal | null = null;
  #media = new Set<HTMLMediaElement>();

  constructor(
    private readonly doc: Document,
    private readonly options: AdapterOptions = {},
  ) {}

  get profile(): SiteProfile | undefined {
    return this.options.profile;
  }

  set profile(profile: SiteProfile | undefined) {
    this.options.profile = profile;
    this.#schedule();
  }

  start(): void {
    const win = this.doc.defaultView;
    if (!win || this.#observer) return;
    this.#observer = new win.MutationObserver(() => this.#schedule());
    this.#observer.observe(this.doc.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      // Not 'style': meters animate it at 60 Hz. Hidden controls show through class or the hidden attribute.
      attributeFilter: ['class', 'aria-pressed', 'aria-checked', 'aria-label', 'title', 'hidden', 'data-state', 'data-active', 'data-playing', 'data-icon', 'href'],
    });
    // Media elements say what they do through events, not attributes.
    for (const type of ['play', 'pause', 'playing', 'ended', 'ratechange']) this.doc.addEventListener(type, () => this.#schedule(), true);
    this.doc.addEventListener('input', () => this.#schedule(), true);
    this.doc.addEventListener('change', () => this.#schedule(), true);
    this.#last = JSON.stringify(this.observe());
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** What the main-world hook hears. */
  setAudio(signal: AudioSignal): void {
    this.#audio = signal;
    this.#schedule();
  }

  /** Re-reads now and reports if anything changed; returns the reading. */
  check(): DawReport {
    const report = this.observe();
    const text = JSON.stringify(report);
    if (text !== this.#last) {
      this.#last = text;
      this.options.onChange?.(report);
    }
    return report;
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.check();
    }, this.options.debounceMs ?? 40);
  }

  /** Finds the controls: profile selectors first, then the best guess among the page's candidates. */
  find(): Found {
    const found: Found = {};
    const sel = this.options.profile?.selectors ?? {};
    for (const [name, selector] of Object.entries(sel) as [ControlName, string][]) {
      try {
        const el = this.doc.querySelector(selector);
        if (el) found[name] = el;
      } catch {
        /* a bad selector in a user profile: ignored, the guess stands */
      }
    }
    const candidates = Array.from(this.doc.querySelectorAll(CANDIDATES)).filter((el) => !el.closest('[data-codette-ignore]'));
    for (const el of candidates) {
      if (el instanceof HTMLInputElement && !['button', 'checkbox', 'submit'].includes(el.type)) continue;
      const words = describe(el);
      if (!words) continue;
      for (const name of Object.keys(MATCHERS) as ToggleName[]) {
        if (found[name]) continue;
        const m = MATCHERS[name];
        if (m.yes.test(words) && !(m.no && m.no.test(words)) && isVisible(el)) {
          // Prefer the outermost clickable (a <button> around an <svg>) and stop at the first good one.
          found[name] = el.closest('button, [role="button"], [role="switch"]') ?? el;
          break;
        }
      }
    }
    // A toggle found as "play" and "pause" at once is one play/pause button.
    if (found.play && found.play === found.pause) {
      found.playpause ??= found.play;
      delete found.play;
      delete found.pause;
    }
    found.tempo ??= this.#findTempo();
    return found;
  }

  #findTempo(): Element | undefined {
    const fields = Array.from(this.doc.querySelectorAll('input, [role="spinbutton"], [contenteditable="true"]'));
    for (const el of fields) {
      let words = describe(el) + ' ' + wordsOf(el.getAttribute('placeholder') ?? '');
      const id = el.getAttribute('id');
      if (id) words += ' ' + wordsOf(this.doc.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent ?? '');
      words += ' ' + wordsOf(el.closest('label')?.textContent ?? '');
      if (TEMPO_WORDS.test(words) && isVisible(el)) return el;
    }
    return undefined;
  }

  /** A visible time readout ("0:07.1", "1:02:03") named time, position or clock. */
  #shownPosition(): number | undefined {
    for (const el of Array.from(this.doc.querySelectorAll(POSITION_READOUTS))) {
      if (el.closest('[data-codette-ignore]') || el.children.length > 0 || !isVisible(el)) continue;
      const seconds = parseClock(el.textContent ?? '');
      if (seconds !== undefined) return seconds;
    }
    return undefined;
  }

  #mediaElements(): HTMLMediaElement[] {
    return Array.from(this.doc.querySelectorAll('audio, video')) as HTMLMediaElement[];
  }

  /** The list of controls and fallbacks, for the panel ("play, stop, keys, audio"). */
  controls(): string[] {
    const found = this.find();
    const list: string[] = Object.keys(found).filter((k) => found[k as ControlName]);
    if (this.#mediaElements().length) list.push('media');
    if (this.#audio) list.push('audio');
    list.push('keys');
    return list;
  }

  #state(name: StateName, found: Found): boolean | undefined {
    const rule = this.options.profile?.state?.[name];
    if (rule) {
      const v = applyRule(this.doc, rule);
      if (v !== undefined) return v;
    }
    const el = name === 'recording' ? found.record : name === 'playing' ? undefined : found[name];
    return el ? isOn(el) : undefined;
  }

  #playing(found: Found): boolean | undefined {
    const rule = this.#state('playing', found);
    if (rule !== undefined && this.options.profile?.state?.playing) return rule;
    const { play, pause, playpause } = found;
    if (play && pause) {
      // Both shown: the pressed one tells.
      const p = isOn(play);
      if (p !== undefined) return p;
      const q = isOn(pause);
      if (q !== undefined) return !q;
    } else if (pause && !play) {
      // The play icon was swapped for a pause icon: playing.
      return true;
    } else if (play && !pause) {
      const p = isOn(play);
      return p ?? false;
    } else if (playpause) {
      const p = isOn(playpause);
      if (p !== undefined) return p;
    }
    const root = this.doc.querySelector('[data-playing], [data-transport-state], .is-playing');
    if (root) {
      const v = root.getAttribute('data-playing') ?? root.getAttribute('data-transport-state');
      if (v !== null) return /^(true|playing|1)$/i.test(v);
      return true;
    }
    const media = this.#mediaElements();
    if (media.length) return media.some((m) => !m.paused && !m.ended);
    if (this.#audio && this.#audio.contexts > 0) return this.#audio.playing;
    return undefined;
  }

  /** Reads the DAW's state as a report: only the fields the page shows. */
  observe(): DawReport {
    const found = this.find();
    const report: DawReport = { site: this.doc.location?.origin?.slice(0, 200) };
    const playing = this.#playing(found);
    if (playing !== undefined) report.playing = playing;
    const recording = this.#state('recording', found);
    if (recording !== undefined) report.recording = recording;
    const loop = this.#state('loop', found);
    if (loop !== undefined) report.loop = { enabled: loop };
    const metronome = this.#state('metronome', found);
    if (metronome !== undefined) report.metronome = metronome;
    const tempo = found.tempo ? readNumber(found.tempo) : undefined;
    if (tempo !== undefined && tempo >= TEMPO_MIN_BPM && tempo <= TEMPO_MAX_BPM) report.bpm = Math.round(tempo * 100) / 100;
    const media = this.#mediaElements()[0];
    if (media && Number.isFinite(media.currentTime)) report.position_seconds = Math.max(0, Math.min(86_400, media.currentTime));
    // The page's own clock, when it shows one and stands still (stopped or paused): a Stop that returns to the start,
    // or a seek, then reaches the server. While playing the server's clock runs (a report per frame would flood it).
    else if (playing === false) {
      const shown = this.#shownPosition();
      if (shown !== undefined) report.position_seconds = shown;
    }
    return report;
  }

  /** Carries out a command on the page; the new state is then observed and reported like any other change. */
  execute(command: TransportCommandInput): DawCommandResult {
    const found = this.find();
    // Right after a play/pause key (a toggle), the page may not show the change yet: trust what the key did, so that a
    // second command in that window does not toggle it back.
    const playing = this.#toggledRecently() ?? this.#playing(found) ?? false;
    const result = this.#execute(command, found, playing);
    // The page reacts asynchronously: look again shortly, whatever happened.
    for (const ms of [30, 120, 300]) setTimeout(() => this.check(), ms);
    return result;
  }

  #execute(command: TransportCommandInput, found: Found, playing: boolean): DawCommandResult {
    const media = this.#mediaElements();
    switch (command.action) {
      case 'play':
      case 'resume': {
        if (playing) return { ok: true, via: 'already' };
        const el = found.play ?? found.playpause;
        if (el) return click(el);
        if (media[0]) return playMedia(media[0]);
        return this.#key('playpause', true);
      }
      case 'pause': {
        if (!playing) return { ok: true, via: 'already' };
        // A play button that is a pressed toggle (aria-pressed="true") pauses when pressed again, as the page's own
        // play/pause key does; clicking Stop instead would lose the position.
        const toggle = found.play?.getAttribute('aria-pressed') === 'true' ? found.play : undefined;
        const el = found.pause ?? found.playpause ?? toggle;
        if (el) return click(el);
        if (media.length) {
          media.forEach((m) => m.pause());
          return { ok: true, via: 'media' };
        }
        if (found.stop) return click(found.stop);
        return this.#key('playpause', false);
      }
      case 'stop': {
        if (found.stop) return click(found.stop);
        if (media.length) {
          media.forEach((m) => {
            m.pause();
            m.currentTime = 0;
          });
          return { ok: true, via: 'media' };
        }
        if (playing && (found.pause ?? found.playpause)) return click((found.pause ?? found.playpause)!);
        return this.#key('stop', false);
      }
      case 'record': {
        const want = command.enabled ?? true;
        if (this.#state('recording', found) === want) return { ok: true, via: 'already' };
        return found.record ? click(found.record) : this.#key('record');
      }
      case 'loop': {
        if (this.#state('loop', found) === command.enabled) return { ok: true, via: 'already' };
        return found.loop ? click(found.loop) : this.#key('loop');
      }
      case 'metronome': {
        if (this.#state('metronome', found) === command.enabled) return { ok: true, via: 'already' };
        return found.metronome ? click(found.metronome) : this.#key('metronome');
      }
      case 'tempo':
        return found.tempo ? setInput(found.tempo, String(command.bpm)) : { ok: false, via: 'no tempo field' };
      case 'seek':
        if (media[0] && command.time_seconds !== undefined) {
          media[0].currentTime = command.time_seconds;
          return { ok: true, via: 'media' };
        }
        return { ok: false, via: 'seek not supported here' };
      case 'time_signature':
        return { ok: false, via: 'time signature not supported here' };
    }
  }

  #toggle: { playing: boolean; at: number } | null = null;

  #toggledRecently(): boolean | undefined {
    if (!this.#toggle || performance.now() - this.#toggle.at > TOGGLE_SETTLE_MS) return undefined;
    return this.#toggle.playing;
  }

  #key(action: KeyAction, playingAfter?: boolean): DawCommandResult {
    const spec = this.options.profile?.keys?.[action] ?? DEFAULT_KEYS[action];
    if (playingAfter !== undefined) this.#toggle = { playing: playingAfter, at: performance.now() };
    pressKey(this.doc, spec);
    return { ok: true, via: `key ${spec}` };
  }
}

const POSITION_READOUTS = ['time', 'position', 'clock', 'counter', 'elapsed'].map((w) => `[id*="${w}" i], [class*="${w}" i], [aria-label*="${w}" i]`).join(', ');

/** "1:23.4" -> 83.4, "1:02:03" -> 3723; undefined for anything else. */
export function parseClock(text: string): number | undefined {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:[.,]\d+)?)$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]!.replace(',', '.'));
  return seconds <= 86_400 ? seconds : undefined;
}

function readNumber(el: Element): number | undefined {
  const raw = el instanceof HTMLInputElement ? el.value : (el.getAttribute('aria-valuenow') ?? el.textContent ?? '');
  const n = Number.parseFloat(raw.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

function click(el: Element): DawCommandResult {
  const view = el.ownerDocument.defaultView;
  const opts = { bubbles: true, cancelable: true, composed: true, view };
  // Some apps listen to pointer or mouse down rather than click.
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
    const Ctor = type.startsWith('pointer') && view && 'PointerEvent' in view ? view.PointerEvent : view?.MouseEvent;
    if (Ctor) el.dispatchEvent(new Ctor(type, opts));
  }
  (el as HTMLElement).click();
  return { ok: true, via: 'button' };
}

function playMedia(media: HTMLMediaElement): DawCommandResult {
  void media.play().catch(() => undefined);
  return { ok: true, via: 'media' };
}

function setInput(el: Element, value: string): DawCommandResult {
  if (el instanceof HTMLInputElement) {
    // The native setter, so that frameworks that track the value (React) see the change.
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
    if (setter) setter.call(el, value);
    else el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
    return { ok: true, via: 'input' };
  }
  el.textContent = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  return { ok: true, via: 'input' };
}

/** Sends a key to the app: to the focused element unless it is a text field, else to the largest canvas or the body. */
export function pressKey(doc: Document, spec: string): void {
  const k = parseKey(spec);
  const active = doc.activeElement;
  const typing = active && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || (active as HTMLElement).isContentEditable);
  let target: Element | null = active && active !== doc.body && !typing ? active : null;
  if (!target) {
    const canvases = Array.from(doc.querySelectorAll('canvas'));
    target = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? doc.body;
  }
  const init: KeyboardEventInit = { ...k, bubbles: true, cancelable: true, composed: true };
  const legacy = { keyCode: k.keyCode, which: k.keyCode };
  for (const type of ['keydown', 'keyup']) {
    const ev = new KeyboardEvent(type, init);
    // keyCode/which are read-only on real events; older apps still read them.
    for (const [name, value] of Object.entries(legacy)) {
      try {
        Object.defineProperty(ev, name, { get: () => value });
      } catch {
        /* not configurable here */
      }
    }
    target?.dispatchEvent(ev);
  }
}
