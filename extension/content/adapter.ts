// Over 400 lines: the generic DAW adapter; observing and commanding share the same found controls and state.
import type { DawCommandOutcome, DawReport, TransportCommandInput } from '../../shared/schemas/transport';
import { TEMPO_MAX_BPM, TEMPO_MIN_BPM } from '../../shared/constants';
import {
  findTempo,
  findTempoStepper,
  isVisible,
  namesOf,
  rankControls,
  TOGGLE_NAMES,
  type Candidate,
  type TempoStepper,
  type ToggleName,
} from './controls';
import { press, pressKey, setField } from './press';
import { evaluateRule } from './state-learner';
import {
  keyFor,
  keySpecOf,
  type ControlName,
  type KeyAction,
  type LearnedKeys,
  type SiteProfile,
  type StateName,
  type StateRule,
} from './profiles';

export { wordsOf } from './controls';

/**
 * The generic transport adapter. It finds a web DAW's transport controls once (ranked, see controls.ts) and then
 * watches only them; reads the DAW's state from several sources (the controls, media elements, the AudioContext hook);
 * carries out each command as a closed loop: press, check that the DAW changed, else try the next way, and in the end
 * report what the DAW really does, with the reason when nothing worked.
 */

const ON_CLASS =
  /^(active|is-active|on|is-on|pressed|selected|checked|enabled|engaged|armed|playing|is-playing|recording|is-recording|toggled)$/;

/** The watched attributes of the chosen controls (not 'style': meters animate it at 60 Hz). */
const WATCHED = [
  'class',
  'aria-pressed',
  'aria-checked',
  'aria-label',
  'title',
  'hidden',
  'disabled',
  'data-state',
  'data-active',
  'data-playing',
  'data-icon',
  'href',
  'src',
  'value',
];

export interface AudioSignal {
  /** Sound is coming out of an AudioContext of the page. */
  playing: boolean;
  contexts: number;
}

export interface AdapterTiming {
  /** How long a command waits for the DAW to change before it tries the next way (state shown in the page). */
  verifyMs: number;
  /** The same when only sound tells (apps that render the song before they play it). */
  verifyAudioMs: number;
  /** Poll interval while verifying. */
  pollMs: number;
  /** A user's own key or click in the page makes what the audio hook hears count for this long. */
  gestureMs: number;
  /** Silence heard without a gesture or command counts after this long (a song that ended by itself). */
  silenceMs: number;
  /** Re-scans when controls are missing, at most this often. */
  rescanMs: number;
}

const DEFAULT_TIMING: AdapterTiming = {
  verifyMs: 1000,
  verifyAudioMs: 8000,
  pollMs: 50,
  gestureMs: 6000,
  silenceMs: 2000,
  rescanMs: 3000,
};

export interface AdapterOptions {
  profile?: SiteProfile;
  /** Keys seen to start or stop this DAW when the user pressed them. */
  learned?: LearnedKeys;
  /** Called (debounced) whenever the observed state changes. */
  onChange?: (report: DawReport) => void;
  /**
   * Called when whether the audio hook is needed changes: not while the page's own controls show the play state (its
   * listening then costs the DAW tab for nothing), again when they stop showing it.
   */
  onAudioNeeded?: (needed: boolean) => void;
  /** Called when a key the user pressed was seen to start or stop the DAW. */
  onLearn?: (learned: LearnedKeys) => void;
  debounceMs?: number;
  timing?: Partial<AdapterTiming>;
}

type Found = Partial<Record<ControlName, Element>>;

export interface CommandOutcome extends DawCommandOutcome {
  /** The DAW's state after the command, as read from the page. */
  observed: DawReport;
}

interface Strategy {
  via: string;
  run: () => void;
  /** Toggles (one key for play and pause) are not tried twice. */
  key?: boolean;
}

export class DawAdapter {
  #watch: MutationObserver | null = null;
  /** The page's time readout: while the DAW stands still its changes (a Stop back to 0:00, a seek) are reported. */
  #clock: MutationObserver | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sweepTimer: ReturnType<typeof setInterval> | null = null;
  /** How many elements the page had at the last search. */
  #scannedCount = 0;
  #silenceTimer: ReturnType<typeof setTimeout> | null = null;
  #taughtTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the page's own controls (or a taught rule) showed the play state at the last reading, and last told. */
  #domTells = false;
  /** The controls show "playing" but could not show "stopped" (a pause icon that becomes a stateless play icon). */
  #oneWay = false;
  #domTold: boolean | null = null;
  /** The clock readout found at the last scan, what it showed last and when, and a seek seen in it while playing. */
  #readoutEl: Element | undefined;
  #clockAnchor: { seconds: number; at: number } | null = null;
  #clockJump: number | undefined;
  #last = '';
  #lastReport: DawReport = {};
  #found: Found | null = null;
  #ranked = new Map<ToggleName, Candidate[]>();
  #root: Element | null = null;
  #stepper: TempoStepper | undefined;
  /** A watched control changed: its names may have too. */
  #relabel = false;
  #scannedAt = Number.NEGATIVE_INFINITY;
  #audio: AudioSignal | null = null;
  /** What the hook said, once it counts (see setAudio). */
  #audioPlaying: boolean | undefined;
  #gestureAt = Number.NEGATIVE_INFINITY;
  /** The longest a user's press took to make sound here (0 until seen). */
  #soundDelayMs = 0;
  #commandUntil = Number.NEGATIVE_INFINITY;
  #userKey: { spec: string; at: number; playing: boolean | undefined } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  /** Controls once seen "on" by a class alone: without that class they are off (not unknown) from then on. */
  readonly #seenOn = new WeakSet<Element>();
  #assumed: { playing: boolean; until: number } | null = null;
  readonly #timing: AdapterTiming;
  readonly #listeners: [string, EventListener][] = [];

  constructor(
    private readonly doc: Document,
    private readonly options: AdapterOptions = {},
  ) {
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
  }

  get profile(): SiteProfile | undefined {
    return this.options.profile;
  }

  set profile(profile: SiteProfile | undefined) {
    this.options.profile = profile;
    this.rescan();
  }

  set learned(learned: LearnedKeys) {
    this.options.learned = learned;
  }

  start(): void {
    const win = this.doc.defaultView;
    if (!win || this.#watch) return;
    this.#watch = new win.MutationObserver(() => {
      this.#relabel = true;
      this.#schedule();
    });
    this.#clock = new win.MutationObserver(() => this.#clockTicked());
    // A control that leaves the page, or controls that appear in an app that had none: looked for by a sweep once a
    // second, not by observing the whole page (that made every DOM change of the app queue records for us).
    this.#sweepTimer = setInterval(() => this.#sweep(), Math.min(1_000, this.#timing.rescanMs));
    const on = (target: EventTarget, type: string, fn: EventListener) => {
      target.addEventListener(type, fn, true);
      this.#listeners.push([type, fn]);
    };
    // Media elements say what they do through events, not attributes.
    for (const type of ['play', 'pause', 'playing', 'ended', 'ratechange', 'input', 'change'])
      on(this.doc, type, () => this.#schedule());
    // A user's own input (trusted: page script cannot make one) lets the audio hook's evidence count.
    for (const type of ['pointerdown', 'mousedown', 'touchstart'])
      on(this.doc, type, (e) => e.isTrusted && this.noteUserGesture());
    // Controls missing at the first search (images still loading): search again once the page has loaded.
    if (this.doc.readyState !== 'complete') {
      win.addEventListener(
        'load',
        () => {
          if (!this.#watch || !incomplete(this.#found)) return;
          this.rescan();
          this.#schedule();
        },
        { once: true },
      );
    }
    on(this.doc, 'keydown', (e) => {
      if (!e.isTrusted) return;
      this.noteUserGesture();
      this.noteUserKey(e as KeyboardEvent);
    });
    this.rescan();
    this.#last = JSON.stringify(this.observe());
  }

  stop(): void {
    this.#watch?.disconnect();
    this.#clock?.disconnect();
    this.#watch = this.#clock = null;
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#sweepTimer = null;
    for (const [type, fn] of this.#listeners.splice(0)) this.doc.removeEventListener(type, fn, true);
    for (const t of [this.#timer, this.#silenceTimer, this.#taughtTimer]) if (t) clearTimeout(t);
  }

  /** Teach mode presses a control itself: what the audio hook hears meanwhile counts, as during a command. */
  expectChange(ms: number): void {
    this.#commandUntil = performance.now() + ms;
  }

  /**
   * A taught "playing" marker that is not watched (see rescan): read every 100 ms for a while after the user's input
   * (the app's reaction, as long as taught reactions take), and once a second while it shows (a song that ends).
   */
  #watchTaught(): void {
    const rule = this.options.profile?.state?.playing;
    if (!rule?.present || !this.#watch) return;
    const until = performance.now() + Math.max(2_000, 2 * (this.options.profile?.reactMs ?? 0) + 1_000);
    if (this.#taughtTimer) clearTimeout(this.#taughtTimer);
    const tick = () => {
      this.#taughtTimer = null;
      if (!this.#watch) return;
      const playing = this.check().playing;
      const fast = performance.now() < until;
      if (fast || playing) this.#taughtTimer = setTimeout(tick, fast ? 100 : 1_000);
    };
    this.#taughtTimer = setTimeout(tick, 100);
  }

  /** A trusted pointer or key press of the user in the page. */
  noteUserGesture(at = performance.now()): void {
    this.#gestureAt = at;
    this.#watchTaught();
    // The user is about to press something in the app: a good moment to find controls that were missing.
    if (incomplete(this.#found) && at - this.#scannedAt >= 250 && this.#watch) this.rescan();
  }

  /**
   * What the main-world hook hears. Page script can fake the hook's event, so it counts only while it can be trusted:
   * after a user's own gesture or during a command of ours. Silence also counts once it has lasted a while (a song that
   * ended); sound alone never starts "playing".
   */
  setAudio(signal: AudioSignal): void {
    this.#audio = signal;
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
    const now = performance.now();
    const byUser = now - this.#gestureAt <= this.#timing.gestureMs;
    if (byUser || now <= this.#commandUntil) {
      // How long this app takes from a press to sound (SoundBox renders the song first): commands wait at least twice that.
      if (signal.playing && !this.#audioPlaying && byUser)
        this.#soundDelayMs = Math.max(this.#soundDelayMs, now - this.#gestureAt);
      this.#audioPlaying = signal.playing;
    } else if (!signal.playing && this.#audioPlaying) {
      this.#silenceTimer = setTimeout(() => {
        this.#silenceTimer = null;
        if (this.#audio && !this.#audio.playing) {
          this.#audioPlaying = false;
          this.check();
        }
      }, this.#timing.silenceMs);
    }
    this.#schedule();
  }

  /** Re-reads now and reports if anything changed; returns the reading. */
  check(): DawReport {
    const report = this.observe();
    const text = JSON.stringify(report);
    this.#clockJump = undefined;
    if (this.#domTells !== this.#domTold) {
      if (this.#domTold && !this.#domTells) this.#audioPlaying = undefined;
      this.#domTold = this.#domTells;
      this.options.onAudioNeeded?.(!this.#domTells);
    }
    if (text !== this.#last) {
      this.#learnFrom(report);
      this.#last = text;
      this.#lastReport = report;
      this.options.onChange?.(report);
    }
    return report;
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#found && this.#detached()) this.rescan();
      this.check();
    }, this.options.debounceMs ?? 40);
  }

  #detached(): boolean {
    return Object.values(this.#found ?? {}).some((el) => el && !el.isConnected);
  }

  /** A chosen control left the page, or the page had none and its elements changed since the last search. */
  #sweep(): void {
    if (this.#detached()) {
      this.rescan();
      this.#schedule();
      return;
    }
    if (!incomplete(this.#found) || performance.now() - this.#scannedAt < this.#timing.rescanMs) return;
    const count = this.doc.getElementsByTagName('*').length;
    if (count === this.#scannedCount) return;
    this.rescan();
    this.#schedule();
  }

  /** Finds the controls again and watches them (their attributes and subtree only). */
  rescan(): Found {
    this.#scannedAt = performance.now();
    this.#scannedCount = this.doc.getElementsByTagName('*').length;
    this.#found = this.find();
    this.#watch?.disconnect();
    if (this.#watch) {
      const targets = new Set<Element>(Object.values(this.#found).filter((el): el is Element => !!el));
      if (this.#root) targets.add(this.#root);
      for (const rule of Object.values(this.options.profile?.state ?? {})) {
        // A marker shown only while playing may move every frame (a playhead row) or be absent: not watched, but read
        // after the user's input and while it shows (see #watchTaught).
        const el = rule && !rule.present && safeQuery(this.doc, rule.selector);
        if (el) targets.add(el.parentElement ?? el);
      }
      for (const el of targets)
        this.#watch.observe(el, {
          attributes: true,
          attributeFilter: WATCHED,
          subtree: true,
          childList: true,
          characterData: true,
        });
    }
    this.#clock?.disconnect();
    const readout = (this.#readoutEl = this.#readout());
    this.#clockAnchor = null;
    if (readout) this.#clock?.observe(readout, { childList: true, subtree: true, characterData: true });
    return this.#found;
  }

  #current(): Found {
    if (!this.#found || this.#detached()) return this.rescan();
    if (this.#relabel) this.#found = this.#renamed(this.#found);
    return this.#found;
  }

  /**
   * The chosen controls named again after they changed (a play icon swapped for a pause icon, "Play" relabelled
   * "Pause"), without searching the page: each name goes to the best of the same elements.
   */
  #renamed(found: Found): Found {
    this.#relabel = false;
    const fixed = new Set(Object.keys(this.options.profile?.selectors ?? {}));
    const next: Found = {};
    const best = new Map<ToggleName, number>();
    for (const [name, el] of Object.entries(found) as [ControlName, Element][])
      if (fixed.has(name) || name === 'tempo') next[name] = el;
    const elements = new Set(
      Object.entries(found)
        .filter(([n]) => !fixed.has(n) && n !== 'tempo')
        .map(([, el]) => el as Element),
    );
    for (const el of elements) {
      for (const { name, score } of namesOf(el)) {
        if (fixed.has(name) || (best.get(name) ?? -1) >= score) continue;
        best.set(name, score);
        next[name] = el;
      }
    }
    if (next.play && next.play === next.pause) {
      next.playpause ??= next.play;
      delete next.play;
      delete next.pause;
    }
    return next;
  }

  /** Finds the controls: profile selectors first, then the best-ranked candidate of each. */
  find(): Found {
    const found: Found = {};
    for (const [name, selector] of Object.entries(this.options.profile?.selectors ?? {}) as [ControlName, string][]) {
      const el = safeQuery(this.doc, selector);
      if (el) found[name] = el;
    }
    this.#ranked = rankControls(this.doc);
    for (const name of TOGGLE_NAMES) found[name] ??= this.#ranked.get(name)?.[0]?.el;
    // A toggle found as "play" and "pause" at once is one play/pause button.
    if (found.play && found.play === found.pause) {
      found.playpause ??= found.play;
      delete found.play;
      delete found.pause;
    }
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a control that was not found leaves no key behind
    for (const name of TOGGLE_NAMES) if (!found[name]) delete found[name];
    const tempo = found.tempo ?? findTempo(this.doc);
    this.#stepper = tempo ? undefined : findTempoStepper(this.doc);
    if (tempo ?? this.#stepper) found.tempo = tempo ?? this.#stepper!.display;
    this.#root = this.doc.querySelector('[data-playing], [data-transport-state], .is-playing');
    return found;
  }

  #mediaElements(): HTMLMediaElement[] {
    return Array.from(this.doc.querySelectorAll('audio, video')) as HTMLMediaElement[];
  }

  /** The list of controls and fallbacks, for the panel ("play, stop, keys, audio"). */
  controls(): string[] {
    const found = this.#current();
    const list: string[] = Object.keys(found).filter((k) => found[k as ControlName]);
    if (this.#mediaElements().length) list.push('media');
    if (this.#audio && this.#audio.contexts > 0) list.push('audio');
    if (this.#keys().length) list.push('keys');
    return list;
  }

  #keys(): KeyAction[] {
    return (['playpause', 'stop', 'record', 'loop', 'metronome'] as KeyAction[]).filter((a) =>
      keyFor(a, this.options.profile, this.options.learned),
    );
  }

  /** A control's on/off state; a class-only toggle seen on once reads as off without its class. */
  #isOn(el: Element): boolean | undefined {
    const v = isOn(el);
    if (v) this.#seenOn.add(el);
    return v ?? (this.#seenOn.has(el) ? false : undefined);
  }

  #state(name: StateName, found: Found): boolean | undefined {
    const rule = this.options.profile?.state?.[name];
    if (rule) {
      const v = applyRule(this.doc, rule);
      if (v !== undefined) return v;
    }
    const el = name === 'recording' ? found.record : name === 'playing' ? undefined : found[name];
    return el && isVisible(el) ? this.#isOn(el) : undefined;
  }

  /** What the page's own controls say about playback, or undefined when they show nothing. */
  #domPlaying(found: Found): boolean | undefined {
    this.#oneWay = false;
    const rule = this.options.profile?.state?.playing;
    if (rule) {
      const v = applyRule(this.doc, rule);
      if (v !== undefined) return v;
    }
    const { play, pause, playpause, stop } = found;
    // Apps that show either play or stop/pause (one hidden while the other shows): the shown one tells.
    const shown = swapped(play, stop ?? pause);
    if (shown !== undefined) return shown;
    if (play && pause) {
      // Both shown: the pressed one tells.
      const p = this.#isOn(play);
      if (p !== undefined) return p;
      const q = this.#isOn(pause);
      if (q !== undefined) return !q;
    } else if (pause && !play && !playpause) {
      // The play icon was swapped for a pause icon: playing. (Swapped back, it tells nothing: the hook must listen.)
      this.#oneWay = true;
      return true;
    } else if (play) {
      const p = this.#isOn(play);
      if (p !== undefined) return p;
    } else if (playpause) {
      const p = this.#isOn(playpause);
      if (p !== undefined) return p;
    }
    const root = this.#root?.isConnected ? this.#root : null;
    if (root) {
      const v = root.getAttribute('data-playing') ?? root.getAttribute('data-transport-state');
      if (v !== null) return /^(true|playing|1)$/i.test(v);
      return root.classList.contains('is-playing');
    }
    return undefined;
  }

  /** Playback from every source: the page's controls when they show it, else media elements and the audio hook. */
  #playing(found: Found): boolean | undefined {
    const dom = this.#domPlaying(found);
    this.#domTells = dom !== undefined && !this.#oneWay;
    if (dom !== undefined) return dom;
    const media = this.#mediaElements();
    const mediaPlaying = media.length ? media.some((m) => !m.paused && !m.ended) : undefined;
    // While the hook rested (the controls showed the state), what it said last is stale: unknown until it speaks again.
    const audio = this.#audio && this.#audio.contexts > 0 && this.#domTold !== true ? this.#audioPlaying : undefined;
    if (mediaPlaying || audio) return true;
    if (this.#assumed && performance.now() < this.#assumed.until) return this.#assumed.playing;
    if (mediaPlaying === false || audio === false) return false;
    return undefined;
  }

  /** Reads the DAW's state as a report: only the fields the page shows. */
  observe(): DawReport {
    const found = this.#current();
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
    if (tempo !== undefined && tempo >= TEMPO_MIN_BPM && tempo <= TEMPO_MAX_BPM)
      report.bpm = Math.round(tempo * 100) / 100;
    const media = this.#mediaElements()[0];
    if (media && Number.isFinite(media.currentTime))
      report.position_seconds = Math.max(0, Math.min(86_400, media.currentTime));
    // The page's own clock, when it shows one and stands still (stopped or paused): a Stop that returns to the start,
    // or a seek, then reaches the server. While playing the server's clock runs (a report per frame would flood it).
    else if (playing === false || (playing && this.#lastReport.playing !== true)) {
      // Stopped, or just started (from where its clock stands).
      const shown = this.#shownPosition();
      if (shown !== undefined) report.position_seconds = shown;
    } else if (playing && this.#clockJump !== undefined) report.position_seconds = this.#clockJump;
    return report;
  }

  /** A visible time readout ("0:07.1", "1:02:03") named time, position or clock. */
  #readout(): Element | undefined {
    for (const el of Array.from(this.doc.querySelectorAll(POSITION_READOUTS))) {
      if (el.closest('[data-codette-ignore]') || el.children.length > 0 || !isVisible(el)) continue;
      if (parseClock(el.textContent ?? '') !== undefined) return el;
    }
    return undefined;
  }

  /**
   * The DAW's clock readout changed. Stopped: reported (a Stop back to 0:00, a seek). Playing: the server's clock
   * runs by itself, so only a jump away from where the readout should be by now (a seek) is reported.
   */
  #clockTicked(): void {
    if (this.#lastReport?.playing !== true) {
      this.#clockAnchor = null;
      return this.#schedule();
    }
    const el = this.#readoutEl;
    const shown = el?.isConnected ? parseClock(el.textContent ?? '') : undefined;
    if (shown === undefined) return;
    const now = performance.now();
    const last = this.#clockAnchor;
    this.#clockAnchor = { seconds: shown, at: now };
    if (last && Math.abs(shown - (last.seconds + (now - last.at) / 1000)) > CLOCK_JUMP_S) {
      this.#clockJump = shown;
      this.#schedule();
    }
  }

  #shownPosition(): number | undefined {
    const el = this.#readoutEl?.isConnected ? this.#readoutEl : this.#readout();
    return el ? parseClock(el.textContent ?? '') : undefined;
  }

  /**
   * Carries out a command as a closed loop (one command at a time): each way of doing it in turn until the DAW shows
   * the wanted state; resolves with the outcome and the DAW's real state after it.
   */
  execute(command: TransportCommandInput): Promise<CommandOutcome> {
    const run = this.#queue.then(() => this.#run(command));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run(command: TransportCommandInput): Promise<CommandOutcome> {
    const action = command.action;
    // The watched controls stand unless they left the page (a search of a big page costs more than a command may wait).
    let found = this.#current();
    if (!hasControlFor(action, found)) found = this.rescan();
    const before = this.observe();
    const want = wanted(command);
    const done = (ok: boolean, via: string, reason?: DawCommandOutcome['reason']): CommandOutcome => {
      const observed = this.check();
      this.#watchTaught();
      return { action, ok, via, ...(reason ? { reason } : {}), observed };
    };
    if (want && want(before) === true && action !== 'stop') return done(true, 'already');
    if (command.action === 'tempo' && this.#stepper && found.tempo === this.#stepper.display) {
      const exact = await this.#stepTempo(this.#stepper, command.bpm);
      return exact ? done(true, 'stepper') : done(false, 'stepper', 'no_effect');
    }
    const audioOnly = this.#domPlaying(found) === undefined;
    const strategies = this.#strategies(command, found, before, audioOnly);
    if (!strategies.length) {
      if (action === 'stop' && before.playing === false) return done(true, 'already');
      const supported = ['play', 'resume', 'pause', 'stop', 'record', 'loop', 'metronome', 'tempo'].includes(action);
      return done(false, 'none', supported ? 'control_not_found' : 'not_supported');
    }
    // A DAW that renders its song before it plays (its reaction measured when taught, or seen from the user's press)
    // is given twice that before the next way is tried.
    const slowStart = 2 * Math.max(this.#soundDelayMs, this.options.profile?.reactMs ?? 0);
    for (const s of strategies) {
      const windowMs = isPlayback(action)
        ? Math.max(audioOnly ? this.#timing.verifyAudioMs : this.#timing.verifyMs, slowStart)
        : this.#timing.verifyMs;
      this.#commandUntil = performance.now() + windowMs + this.#timing.pollMs;
      s.run();
      if (!want) return done(true, s.via);
      const result = await this.#waitFor(want, windowMs);
      if (result === true) return done(true, s.via);
      if (result === undefined) {
        // Nothing in the page can tell (no state shown, no sound hook): believe the press, and do not press again.
        if (s.key && isPlayback(action))
          this.#assumed = { playing: action === 'play' || action === 'resume', until: performance.now() + 1500 };
        return done(true, `${s.via} (unverified)`);
      }
    }
    return done(
      false,
      strategies
        .map((s) => s.via)
        .join(', ')
        .slice(0, 60),
      'no_effect',
    );
  }

  /** Presses +/- until the shown tempo is `bpm`; false when it stops moving or would pass it (its step is too big). */
  async #stepTempo(stepper: TempoStepper, bpm: number): Promise<boolean> {
    this.#commandUntil = performance.now() + 10_000;
    for (let i = 0; i < 100; i++) {
      const now = readNumber(stepper.display);
      if (now === undefined) return false;
      if (Math.abs(now - bpm) < 0.01) return true;
      const up = bpm > now;
      press(up ? stepper.inc : stepper.dec);
      const deadline = performance.now() + this.#timing.verifyMs;
      let next = readNumber(stepper.display);
      while (next === now && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, this.#timing.pollMs));
        next = readNumber(stepper.display);
      }
      if (next === undefined || next === now) return false;
      if (up ? next > bpm : next < bpm) return false; // passed it: the truth (the nearest) is reported
    }
    return false;
  }

  /** Polls until the wanted state shows: true, false when it never did, undefined when nothing tells. */
  async #waitFor(want: (r: DawReport) => boolean | undefined, windowMs: number): Promise<boolean | undefined> {
    const deadline = performance.now() + windowMs;
    let seen: boolean | undefined;
    for (;;) {
      await new Promise((r) => setTimeout(r, this.#timing.pollMs));
      const v = want(this.observe());
      if (v === true) return true;
      if (v === false) seen = false;
      if (performance.now() >= deadline) return seen;
    }
  }

  /** The ways to carry out a command, most direct first; keys only with evidence (profile or learned). */
  #strategies(command: TransportCommandInput, found: Found, now: DawReport, audioOnly: boolean): Strategy[] {
    const list: Strategy[] = [];
    const pressed = new Set<Element>();
    const button = (el: Element | undefined, via = 'button') => {
      if (!el || pressed.has(el)) return;
      pressed.add(el);
      list.push({ via, run: () => press(el) });
    };
    const alternatives = (name: ToggleName) =>
      (this.#ranked.get(name) ?? [])
        .slice(1, 2)
        .map((c) => c.el)
        .filter((el) => el !== found[name]);
    const key = (action: KeyAction) => {
      const spec = keyFor(action, this.options.profile, this.options.learned);
      if (spec) list.push({ via: `key ${spec}`, run: () => pressKey(this.doc, spec), key: true });
    };
    const media = this.#mediaElements();
    const playing = now.playing;
    switch (command.action) {
      case 'play':
      case 'resume':
        button(found.play);
        // Where only sound tells, a slow start looks like no start: a second control could restart the song.
        if (!audioOnly) for (const el of alternatives('play')) button(el, 'another button');
        button(found.playpause);
        if (media[0]) list.push({ via: 'media', run: () => void media[0]!.play().catch(() => undefined) });
        key('playpause');
        break;
      case 'pause': {
        // A play button that is a pressed toggle pauses when pressed again; Stop loses the position, so it comes last.
        const toggle = found.play && isToggle(found.play) && this.#isOn(found.play) ? found.play : undefined;
        button(found.pause);
        button(found.playpause);
        button(toggle);
        if (media.length) list.push({ via: 'media', run: () => media.forEach((m) => m.pause()) });
        if (playing !== false) key('playpause');
        button(found.stop, 'stop button');
        break;
      }
      case 'stop':
        button(found.stop);
        for (const el of alternatives('stop')) button(el, 'another button');
        if (media.length)
          list.push({ via: 'media', run: () => media.forEach((m) => (m.pause(), (m.currentTime = 0))) });
        if (playing) button(found.pause ?? found.playpause, 'pause button');
        // An app whose play control is a toggle (a checkbox, aria-pressed) stops with the same control.
        if (playing && found.play && isToggle(found.play) && this.#isOn(found.play)) button(found.play, 'play toggle');
        key('stop');
        if (playing !== false && !keyFor('stop', this.options.profile, this.options.learned)) key('playpause');
        break;
      case 'record':
        button(found.record);
        // A record key is a toggle: where the page does not show whether it records, only an explicit "record on" may
        // press it (a "record off" could arm it).
        if ((command.enabled ?? true) || now.recording !== undefined) key('record');
        break;
      case 'loop':
        button(found.loop);
        key('loop');
        break;
      case 'metronome':
        button(found.metronome);
        key('metronome');
        break;
      case 'tempo':
        if (found.tempo) list.push({ via: 'input', run: () => setField(found.tempo!, String(command.bpm)) });
        break;
      case 'seek':
        if (media[0] && command.time_seconds !== undefined)
          list.push({ via: 'media', run: () => (media[0]!.currentTime = command.time_seconds!) });
        break;
      case 'time_signature':
        break;
    }
    return list;
  }

  /** Learning keys: a key the user pressed that started or stopped the DAW within a moment is this site's key. */
  noteUserKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey' | 'target'>): void {
    const t = e.target as HTMLElement | null;
    if (t && (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t.isContentEditable)) return;
    const spec = keySpecOf(e);
    this.#userKey = spec ? { spec, at: performance.now(), playing: this.#lastReport.playing } : null;
  }

  #learnFrom(after: DawReport): void {
    const k = this.#userKey;
    if (
      !k ||
      performance.now() - k.at > this.#timing.verifyMs * 1.5 ||
      after.playing === undefined ||
      after.playing === k.playing
    )
      return;
    if (performance.now() <= this.#commandUntil) return;
    this.#userKey = null;
    const learned = { ...this.options.learned };
    if (after.playing) learned.playpause = k.spec;
    else if (learned.playpause !== k.spec) learned.stop = k.spec;
    if (JSON.stringify(learned) === JSON.stringify(this.options.learned ?? {})) return;
    this.options.learned = learned;
    this.options.onLearn?.(learned);
  }
}

/** The state a command should lead to, as a test on a report: undefined when the report cannot tell. */
function wanted(command: TransportCommandInput): ((r: DawReport) => boolean | undefined) | null {
  switch (command.action) {
    case 'play':
    case 'resume':
      return (r) => r.playing;
    case 'pause':
    case 'stop':
      return (r) => (r.playing === undefined ? undefined : !r.playing);
    case 'record': {
      const on = command.enabled ?? true;
      return (r) => (r.recording === undefined ? undefined : r.recording === on);
    }
    case 'loop':
      return (r) => (r.loop === undefined ? undefined : r.loop.enabled === command.enabled);
    case 'metronome':
      return (r) => (r.metronome === undefined ? undefined : r.metronome === command.enabled);
    case 'tempo':
      return (r) => (r.bpm === undefined ? undefined : Math.abs(r.bpm - command.bpm) < 0.01);
    default:
      return null;
  }
}

const isPlayback = (action: string) => ['play', 'resume', 'pause', 'stop'].includes(action);
/** Without a play and a stop (or one play/pause) control: an app still loading its images, or drawn on a canvas. */
const incomplete = (found: Found | null) => !found || !(found.playpause || (found.play && (found.stop || found.pause)));

/** Whether the controls include one that a command presses (else the page is searched again first). */
function hasControlFor(action: string, found: Found): boolean {
  switch (action) {
    case 'play':
    case 'resume':
      return !!(found.play ?? found.playpause);
    case 'pause':
    case 'stop':
      return !!(found.stop ?? found.pause ?? found.playpause);
    case 'record':
      return !!found.record;
    case 'loop':
      return !!found.loop;
    case 'metronome':
      return !!found.metronome;
    case 'tempo':
      return !!found.tempo;
    default:
      return true;
  }
}

function safeQuery(doc: Document, selector: string): Element | null {
  try {
    return doc.querySelector(selector);
  } catch {
    return null; // a bad selector in a user profile: ignored, the guess stands
  }
}

function isOn(el: Element): boolean | undefined {
  for (const a of ['aria-pressed', 'aria-checked', 'data-active', 'data-state', 'data-on', 'data-playing']) {
    const v = el.getAttribute(a);
    if (v === null) continue;
    if (/^(true|on|active|playing|recording|1)$/i.test(v)) return true;
    if (/^(false|off|inactive|stopped|paused|0|mixed)$/i.test(v)) return false;
  }
  if (el instanceof HTMLInputElement && el.type === 'checkbox') return el.checked;
  const classes = (el.getAttribute('class') ?? '').split(/\s+/);
  if (
    classes.some(
      (c) => ON_CLASS.test(c.toLowerCase()) || /(^|[-_])(active|on|pressed|playing|recording|engaged)$/i.test(c),
    )
  )
    return true;
  // A toggle that shows no pressed state at all: unknown rather than off.
  return el.hasAttribute('aria-pressed') || el.hasAttribute('aria-checked') ? false : undefined;
}

/**
 * Play and stop (or pause) next to each other, exactly one of them shown: playing when play is the hidden one.
 * Undefined when both or neither show, or when they are not neighbours (a hidden mini-player elsewhere says nothing).
 */
function swapped(play: Element | undefined, other: Element | undefined): boolean | undefined {
  if (!play || !other) return undefined;
  const near = play.parentElement?.parentElement;
  if (!near || !near.contains(other)) return undefined;
  const p = isVisible(play);
  const o = isVisible(other);
  return p === o ? undefined : o;
}

/** A control that shows on/off itself: pressing it again switches it back. */
function isToggle(el: Element): boolean {
  return (
    el.hasAttribute('aria-pressed') ||
    el.getAttribute('role') === 'switch' ||
    (el instanceof HTMLInputElement && el.type === 'checkbox')
  );
}

function applyRule(doc: Document, rule: StateRule): boolean | undefined {
  if (rule.present || rule.attribute || rule.className) return evaluateRule(doc, rule);
  const el = safeQuery(doc, rule.selector);
  return el ? isOn(el) : undefined;
}

/** A readout more than this far from where it should be by now was moved (a seek), not ticking. */
const CLOCK_JUMP_S = 1;

const POSITION_READOUTS = ['time', 'position', 'clock', 'counter', 'elapsed']
  .map((w) => `[id*="${w}" i], [class*="${w}" i], [aria-label*="${w}" i]`)
  .join(', ');

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
