/**
 * Runs in the page's own world (document_start): notices AudioContexts and listens, through an AnalyserNode tapped
 * beside the destination, whether sound really comes out. For apps drawn on a canvas, this is the only truth there is.
 * It tells the isolated content script through a DOM event whose detail is a JSON string (safe across worlds).
 */

export const AUDIO_EVENT = 'codette:audio';
export const AUDIO_QUERY_EVENT = 'codette:audio-query';
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

export function installAudioHook(
  win: Window & typeof globalThis,
  options: { pollMs?: number; holdMs?: number; threshold?: number } = {},
): boolean {
  const record = win as unknown as Record<string, unknown>;
  if (record[MARK] || typeof win.AudioNode !== 'function') return false;
  record[MARK] = true;
  const pollMs = options.pollMs ?? 40;
  const holdMs = options.holdMs ?? 120;
  const threshold = options.threshold ?? 1e-4; // about -80 dBFS
  const taps = new Map<BaseAudioContext, Tap>();
  const contexts = new Set<BaseAudioContext>();
  let timer: ReturnType<Window['setInterval']> | null = null;
  let lastSound = Number.NEGATIVE_INFINITY; // no sound yet (0 would read as "sound" while the page is younger than holdMs)
  let playing = false;

  const emit = () => {
    const detail = JSON.stringify({ playing, contexts: contexts.size } satisfies AudioHookState);
    win.document.dispatchEvent(new win.CustomEvent(AUDIO_EVENT, { detail }));
  };

  const poll = () => {
    let loud = false;
    let running = 0;
    for (const tap of taps.values()) {
      if (tap.ctx.state !== 'running') continue;
      running++;
      tap.analyser.getFloatTimeDomainData(tap.buffer);
      for (let i = 0; i < tap.buffer.length; i++) {
        const v = tap.buffer[i]!;
        if (v > threshold || v < -threshold) {
          loud = true;
          break;
        }
      }
      if (loud) break;
    }
    const now = win.performance.now();
    if (loud) lastSound = now;
    const next = loud || now - lastSound < holdMs;
    if (next !== playing) {
      playing = next;
      emit();
    }
    if (running === 0 && !playing && timer) {
      win.clearInterval(timer);
      timer = null;
    }
  };

  const ensurePolling = () => {
    if (!timer) timer = win.setInterval(poll, pollMs);
  };

  const tapFor = (ctx: BaseAudioContext): Tap | undefined => {
    let tap = taps.get(ctx);
    if (tap) return tap;
    try {
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      // A silent sink keeps the analyser pulled in every engine.
      const sink = ctx.createGain();
      sink.gain.value = 0;
      originalConnect.call(analyser, sink);
      originalConnect.call(sink, ctx.destination);
      tap = { ctx, analyser, buffer: new Float32Array(analyser.fftSize) };
      taps.set(ctx, tap);
      contexts.add(ctx);
      ctx.addEventListener('statechange', () => {
        if (ctx.state === 'running') ensurePolling();
        else poll();
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
    if (dest instanceof win.AudioDestinationNode) {
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

  win.document.addEventListener(AUDIO_QUERY_EVENT, () => emit());
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
