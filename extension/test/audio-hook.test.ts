import { describe, expect, it } from 'vitest';
import { AUDIO_EVENT, installAudioHook, parseAudioDetail, type AudioHookState } from '../content/audio-hook';

/**
 * The page-world AudioContext hook, on a fake Web Audio graph and a fake clock: what it reports as "playing" is what a
 * canvas DAW's transport reads, and what decides whether a Play command is pressed or skipped as "already playing".
 */
class FakeNode {
  constructor(readonly context: FakeContext) {}
  connect(..._args: unknown[]): unknown {
    return undefined;
  }
}
class FakeDestination extends FakeNode {}
class FakeAnalyser extends FakeNode {
  fftSize = 2048;
  getFloatTimeDomainData(buffer: Float32Array) {
    buffer.fill(this.context.level);
  }
}
class FakeContext {
  state: 'running' | 'suspended' = 'running';
  level = 0;
  readonly destination: FakeDestination = new FakeDestination(this);
  createAnalyser() {
    return new FakeAnalyser(this);
  }
  createGain() {
    return Object.assign(new FakeNode(this), { gain: { value: 1 } });
  }
  addEventListener() {}
}

function setup(startMs: number) {
  let now = startMs;
  let tick: (() => void) | null = null;
  const states: AudioHookState[] = [];
  const win = {
    AudioNode: FakeNode,
    AudioDestinationNode: FakeDestination,
    document,
    CustomEvent,
    performance: { now: () => now },
    setInterval: (fn: () => void) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
  };
  const listener = (e: Event) => {
    const s = parseAudioDetail((e as CustomEvent<unknown>).detail);
    if (s) states.push(s);
  };
  document.addEventListener(AUDIO_EVENT, listener);
  expect(installAudioHook(win as unknown as Window & typeof globalThis, { pollMs: 40, holdMs: 120 })).toBe(true);
  return {
    states,
    advance(ms: number) {
      now += ms;
      tick?.();
    },
    done: () => document.removeEventListener(AUDIO_EVENT, listener),
  };
}

describe('AudioContext hook', () => {
  it('a silent context in a page younger than the hold time is not reported as playing', () => {
    const h = setup(10);
    try {
      const ctx = new FakeContext();
      new FakeNode(ctx).connect(ctx.destination);
      for (let i = 0; i < 5; i++) h.advance(40);
      expect(h.states.length).toBeGreaterThan(0);
      expect(h.states.filter((s) => s.playing)).toEqual([]);
    } finally {
      h.done();
    }
  });

  it('sound makes it playing, and silence longer than the hold time makes it stop', () => {
    const h = setup(5_000);
    try {
      const ctx = new FakeContext();
      new FakeNode(ctx).connect(ctx.destination);
      h.advance(40);
      ctx.level = 0.1;
      h.advance(40);
      expect(h.states.at(-1)).toEqual({ playing: true, contexts: 1 });
      ctx.level = 0;
      h.advance(40);
      expect(h.states.at(-1)?.playing).toBe(true); // within the hold
      h.advance(40);
      h.advance(40);
      expect(h.states.at(-1)).toEqual({ playing: false, contexts: 1 });
    } finally {
      h.done();
    }
  });
});
