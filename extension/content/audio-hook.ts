/**
 * Runs in the page's own world (document_start): notices AudioContexts and listens, through an AnalyserNode tapped
 * beside the destination, whether sound really comes out. For apps drawn on a canvas, this is the only truth there is.
 * It tells the isolated content script through a DOM event whose detail is a JSON string (safe across worlds).
 */

export const AUDIO_EVENT = 'codette:audio';
export const AUDIO_QUERY_EVENT = 'codette:audio-query';
/**
 * The content script's word on whether it needs the hook: "rest" while the page's own controls show the play state
 * (then nothing is polled and new connections are not tapped), "listen" again when they do not.
 */
export const AUDIO_MODE_EVENT = 'codette:audio-mode';
const MARK = '__codetteAudioHook';

export interface AudioHookState {
  playing: boolean;
  contexts: number;
}

interface Tap {
  ctx: BaseAudioContext;
  analyser: AnalyserNode;
  buffer: Float32Array<ArrayBuffer>;
}

export interface AudioHookOptions {
  /** Poll interval while someone is waiting for a change: after a user's own input in the page, or when asked. */
  pollMs?: number;
  /** Poll interval otherwise (sound that goes on, or silence that goes on). */
  idlePollMs?: number;
  /** How long a user's input or a query keeps the fast poll. */
  attendMs?: number;
  /** Silence this long ends "playing" (while polled fast). */
  holdMs?: number;
  /** The same while polled slowly. */
  idleHoldMs?: number;
  /** After the change someone waited for, the fast poll goes on this long. */
  settleMs?: number;
  threshold?: number;
}

export function installAudioHook(win: Window & typeof globalThis, options: AudioHookOptions = {}): boolean {
  const record = win as unknown as Record<string, unknown>;
  if (record[MARK] || typeof win.AudioNode !== 'function') return false;
  record[MARK] = true;
  const fastMs = options.pollMs ?? 40;
  const slowMs = options.idlePollMs ?? 500;
  const attendMs = options.attendMs ?? 8000;
  const holdMs = options.holdMs ?? 120;
  const idleHoldMs = options.idleHoldMs ?? 3 * slowMs;
  const settleMs = options.settleMs ?? 500;
  const threshold = options.threshold ?? 1e-4; // about -80 dBFS
  const taps = new Map<BaseAudioContext, Tap>();
  const contexts = new Set<BaseAudioContext>();
  let timer: ReturnType<Window['setTimeout']> | null = null;
  /** When the pending poll runs, and when the last one ran. */
  let dueAt = 0;
  let attentiveUntil = Number.NEGATIVE_INFINITY;
  let lastSound = Number.NEGATIVE_INFINITY; // no sound yet (0 would read as "sound" while the page is younger than holdMs)
  let playing = false;
  let resting = false;

  const emit = () => {
    const detail = JSON.stringify({ playing, contexts: contexts.size } satisfies AudioHookState);
    win.document.dispatchEvent(new win.CustomEvent(AUDIO_EVENT, { detail }));
  };

  /** Whether any of the tap's samples (the newest few tens of ms) is above the threshold, newest first. */
  const loud = (tap: Tap): boolean => {
    tap.analyser.getFloatTimeDomainData(tap.buffer);
    const buf = tap.buffer;
    for (let i = buf.length - 1; i >= 0; i--) {
      const v = buf[i]!;
      if (v > threshold || v < -threshold) return true;
    }
    return false;
  };

  // Polled on a timer whose rate follows the need: every 40 ms (each read covers the time since the last one) while
  // someone waits for a change: after the user's own input in the page, or a command of the content script, until
  // the change came or a few seconds passed. Otherwise twice a second, reading the newest ~40 ms: the same sound goes
  // on, or the same silence; "playing" then ends only after silence in every read for idleHoldMs (gaps between notes
  // fall between reads).
  const poll = () => {
    if (timer !== null) win.clearTimeout(timer); // called early (a state change): the pending poll is this one
    timer = null;
    const now = win.performance.now();
    const attentive = now < attentiveUntil;
    let heard = false;
    let running = 0;
    for (const tap of taps.values()) {
      if (tap.ctx.state !== 'running') continue;
      running++;
      if (!heard && loud(tap)) heard = true;
    }
    if (heard) lastSound = now;
    // The hold only extends "playing": a silence already told is not undone by the slow poll's longer hold.
    const next = heard || (playing && now - lastSound < (attentive ? holdMs : idleHoldMs));
    if (next !== playing) {
      playing = next;
      emit();
      // What someone waited for came: slow down again once it has settled.
      if (attentive) attentiveUntil = Math.min(attentiveUntil, now + settleMs);
    }
    if (running > 0 || playing) schedule();
  };

  const schedule = () => {
    if (resting) return;
    const now = win.performance.now();
    const due = now + (now < attentiveUntil ? fastMs : slowMs);
    if (timer !== null) {
      if (dueAt <= due) return;
      win.clearTimeout(timer);
    }
    dueAt = due;
    timer = win.setTimeout(poll, due - now);
  };

  /** Someone waits for a change: poll fast for a while. */
  const attend = () => {
    attentiveUntil = win.performance.now() + attendMs;
    if (taps.size) schedule();
  };

  const ensurePolling = () => schedule();

  const tapFor = (ctx: BaseAudioContext): Tap | undefined => {
    let tap = taps.get(ctx);
    if (tap) return tap;
    try {
      const analyser = ctx.createAnalyser();
      // The newest samples that a fast poll reads: at least its interval (2048 at 44.1 or 48 kHz).
      const wanted = ((ctx.sampleRate || 48_000) * (fastMs + 5)) / 1000;
      analyser.fftSize = Math.min(32_768, Math.max(32, 2 ** Math.ceil(Math.log2(wanted))));
      // A silent sink keeps the analyser pulled in every engine.
      const sink = ctx.createGain();
      sink.gain.value = 0;
      originalConnect.call(analyser, sink);
      originalConnect.call(sink, ctx.destination);
      tap = { ctx, analyser, buffer: new Float32Array(analyser.fftSize) };
      taps.set(ctx, tap);
      contexts.add(ctx);
      ctx.addEventListener('statechange', () => {
        if (ctx.state !== 'running') return poll();
        attend();
        ensurePolling();
      });
      emit();
      return tap;
    } catch {
      return undefined;
    }
  };

  const originalConnect = win.AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  function connect(this: AudioNode, ...args: unknown[]): unknown {
    const result = originalConnect.apply(this, args);
    const dest = args[0];
    if (!resting && dest instanceof win.AudioDestinationNode) {
      const tap = tapFor(this.context);
      if (tap && this !== (tap.analyser as AudioNode)) {
        try {
          originalConnect.call(this, tap.analyser, ...(args.length > 1 ? [args[1]] : []));
        } catch {
          /* a node that cannot fan out: ignored */
        }
        if (this.context.state === 'running') ensurePolling();
      }
    }
    return result;
  }
  win.AudioNode.prototype.connect = connect as AudioNode['connect'];

  // A query comes with a command of the content script: answer now, and watch closely while it waits for the DAW.
  win.document.addEventListener(AUDIO_QUERY_EVENT, () => {
    attend();
    emit();
  });
  win.document.addEventListener(AUDIO_MODE_EVENT, (e) => {
    resting = (e as CustomEvent<unknown>).detail === 'rest';
    if (resting && timer !== null) {
      win.clearTimeout(timer);
      timer = null;
    } else if (!resting && taps.size) {
      // Awake: what it said before resting is stale. Listen closely and say what it hears now.
      attend();
      poll();
      emit();
    }
  });
  // The user's own input (trusted: page script cannot make one) often starts or stops the sound.
  for (const type of ['pointerdown', 'keydown', 'touchstart'])
    win.addEventListener(type, (e) => e.isTrusted && attend(), { capture: true, passive: true });
  return true;
}

export function parseAudioDetail(detail: unknown): AudioHookState | null {
  if (typeof detail !== 'string') return null;
  try {
    const v = JSON.parse(detail) as Partial<AudioHookState>;
    return typeof v.playing === 'boolean' && typeof v.contexts === 'number'
      ? { playing: v.playing, contexts: v.contexts }
      : null;
  } catch {
    return null;
  }
}
