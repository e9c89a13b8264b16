import { describe, expect, it } from 'vitest';
import {
  AUDIO_EVENT,
  AUDIO_MODE_EVENT,
  AUDIO_QUERY_EVENT,
  installAudioHook,
  parseAudioDetail,
  type AudioHookState,
} from '../content/audio-hook';

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
    this.context.reads++;
    buffer.fill(this.context.level);
  }
}
class FakeContext {
  state: 'running' | 'suspended' = 'running';
  level = 0;
  sampleRate = 48_000;
  /** How often the hook read the tap. */
  reads = 0;
  readonly destination: FakeDestination = new FakeDestination(this);
  createAnalyser() {
    return new FakeAnalyser(this);
  }
  createGain() {
    return Object.assign(new FakeNode(this), { gain: { value: 1 } });
  }
  addEventListener() {}
}

/** A fake window whose clock and timers the test moves: `advance` runs every timer that falls due, in order. */
function setup(startMs: number) {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const states: AudioHookState[] = [];
  const target = new EventTarget();
  const win = {
    AudioNode: FakeNode,
    AudioDestinationNode: FakeDestination,
    document,
    CustomEvent,
    performance: { now: () => now },
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(nextId, { at: now + ms, fn });
      return nextId++;
    },
    clearTimeout: (id: number) => timers.delete(id),
    addEventListener: target.addEventListener.bind(target),
  };
  const listener = (e: Event) => {
    const s = parseAudioDetail((e as CustomEvent<unknown>).detail);
    if (s) states.push(s);
  };
  document.addEventListener(AUDIO_EVENT, listener);
  expect(
    installAudioHook(win as unknown as Window & typeof globalThis, {
      pollMs: 40,
      idlePollMs: 500,
      attendMs: 8000,
      holdMs: 120,
    }),
  ).toBe(true);
  return {
    states,
    /** Timers pending (one poll at most, whatever asked for it). */
    pending: () => timers.size,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    /** What page script cannot forge: a trusted event is what a user's input gives (isTrusted is read-only). */
    userInput() {
      const e = new Event('pointerdown');
      Object.defineProperty(e, 'isTrusted', { value: true });
      target.dispatchEvent(e);
    },
    done: () => document.removeEventListener(AUDIO_EVENT, listener),
  };
}

/** A context already sounding: a node connected to its destination, at a level well above silence. */
function soundingContext(): FakeContext {
  const ctx = new FakeContext();
  ctx.level = 0.1;
  new FakeNode(ctx).connect(ctx.destination);
  return ctx;
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
      h.userInput(); // someone waits: polled every 40 ms
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

  it('with nobody waiting it reads twice a second, without flapping; an untrusted event does not speed it up', () => {
    const h = setup(5_000);
    try {
      const ctx = soundingContext();
      h.advance(1_000);
      expect(h.states.at(-1)).toEqual({ playing: true, contexts: 1 });
      const before = ctx.reads;
      const changes = h.states.length;
      document.defaultView!.dispatchEvent(new Event('pointerdown')); // page script's own: isTrusted false
      h.advance(10_000);
      expect(ctx.reads - before).toBeGreaterThanOrEqual(19);
      expect(ctx.reads - before).toBeLessThanOrEqual(21);
      expect(h.states.length).toBe(changes);
      expect(h.pending()).toBe(1);
    } finally {
      h.done();
    }
  });

  it("a user's input or a query makes it answer within a poll and the hold, then it slows down again", () => {
    const h = setup(5_000);
    try {
      const ctx = soundingContext();
      h.advance(2_000);
      h.userInput();
      ctx.level = 0;
      h.advance(40 + 120 + 40);
      expect(h.states.at(-1)).toEqual({ playing: false, contexts: 1 });
      document.dispatchEvent(new CustomEvent(AUDIO_QUERY_EVENT));
      ctx.level = 0.1;
      h.advance(40);
      expect(h.states.at(-1)?.playing).toBe(true);
      h.advance(8_000); // the attention ends
      const before = ctx.reads;
      h.advance(5_000);
      expect(ctx.reads - before).toBeLessThanOrEqual(11);
      expect(h.pending()).toBe(1);
    } finally {
      h.done();
    }
  });

  it('stops polling once no context runs and nothing plays', () => {
    const h = setup(5_000);
    try {
      const ctx = new FakeContext();
      new FakeNode(ctx).connect(ctx.destination);
      ctx.state = 'suspended';
      h.advance(1_000);
      expect(h.pending()).toBe(0);
      const before = ctx.reads;
      h.advance(5_000);
      expect(ctx.reads).toBe(before);
    } finally {
      h.done();
    }
  });

  it('polled slowly, silence between notes does not end "playing"; silence in every read for 1.5 s does', () => {
    const h = setup(5_000);
    try {
      const ctx = soundingContext();
      h.advance(1_000);
      expect(h.states.at(-1)?.playing).toBe(true);
      const from = h.states.length;
      ctx.level = 0; // one read falls between two notes
      h.advance(500);
      ctx.level = 0.1;
      h.advance(500);
      expect(h.states.slice(from)).toEqual([]);
      ctx.level = 0; // the song ended
      h.advance(1_000);
      expect(h.states.at(-1)?.playing).toBe(true);
      h.advance(1_000);
      expect(h.states.at(-1)).toEqual({ playing: false, contexts: 1 });
    } finally {
      h.done();
    }
  });

  it('the change someone waited for ends the fast poll soon after (not the whole attention time)', () => {
    const h = setup(5_000);
    try {
      const ctx = new FakeContext();
      new FakeNode(ctx).connect(ctx.destination);
      h.userInput();
      h.advance(1_000);
      ctx.level = 0.1; // a DAW that renders its song for a second first
      h.advance(40);
      expect(h.states.at(-1)?.playing).toBe(true);
      h.advance(600);
      const before = ctx.reads;
      h.advance(2_000);
      expect(ctx.reads - before).toBeLessThanOrEqual(5);
    } finally {
      h.done();
    }
  });

  it('rests while the content script needs nothing of it: no reads, no new taps; listens again when asked', () => {
    const h = setup(5_000);
    try {
      const ctx = soundingContext();
      h.advance(1_000);
      document.dispatchEvent(new CustomEvent(AUDIO_MODE_EVENT, { detail: 'rest' }));
      const reads = ctx.reads;
      h.userInput();
      h.advance(5_000);
      expect(ctx.reads).toBe(reads);
      expect(h.pending()).toBe(0);
      const other = new FakeContext();
      const contexts = h.states.at(-1)?.contexts;
      new FakeNode(other).connect(other.destination);
      expect(h.states.at(-1)?.contexts).toBe(contexts); // not tapped
      document.dispatchEvent(new CustomEvent(AUDIO_MODE_EVENT, { detail: 'listen' }));
      h.advance(1_000);
      expect(ctx.reads).toBeGreaterThan(reads);
    } finally {
      document.dispatchEvent(new CustomEvent(AUDIO_MODE_EVENT, { detail: 'listen' }));
      h.done();
    }
  });

  it('a stop told while polled fast stays told when the poll slows down (its longer hold does not revive "playing")', () => {
    const h = setup(5_000);
    try {
      const ctx = soundingContext();
      h.advance(1_000);
      document.dispatchEvent(new CustomEvent(AUDIO_QUERY_EVENT)); // a stop command
      ctx.level = 0;
      h.advance(200);
      expect(h.states.at(-1)?.playing).toBe(false);
      const from = h.states.length;
      h.advance(3_000); // the settle ends, slow polls follow within 1.5 s of the last sound
      expect(h.states.slice(from)).toEqual([]);
    } finally {
      h.done();
    }
  });
});
