import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { THIRD_OCTAVE_CENTRES_HZ } from '../../shared/dsp/spectrum';
import { LOUDNESS_TARGETS } from '../../shared/loudness-targets';
import { DawContext } from '../../shared/schemas/chat';
import { METER_BAND_CENTRES_HZ, MeterMessage, MeterSnapshot } from '../../shared/schemas/meters';
import MetersPanel from '../components/meters/MetersPanel.vue';
import type { FromUi } from '../lib/messages';
import { chatMetrics, HISTORY_POINTS, overCeiling } from '../lib/meters';
import { MeterEngine } from '../lib/meters-engine';
import { useMetersStore, type MeterLink } from '../lib/meters-store';
import { useCodetteStore } from '../stores/codette';
import { useLayoutStore } from '../stores/layout';

const snap = (patch: Partial<MeterSnapshot> = {}): MeterSnapshot => ({
  seq: 10,
  duration_s: 5,
  sample_rate: 48000,
  channels: 2,
  momentary_lufs: -14.2,
  short_term_lufs: -14.5,
  integrated_lufs: -14.8,
  range_lu: 3.2,
  momentary_max_lufs: -12,
  short_term_max_lufs: -13,
  true_peak_dbtp: -1.5,
  sample_peak_dbfs: -2,
  correlation: 0.8,
  correlation_avg: 0.7,
  low_end_ratio: 0.3,
  bands: METER_BAND_CENTRES_HZ.map(() => -40),
  ...patch,
});
const snapshotMsg = (patch: Partial<MeterSnapshot> = {}) => ({
  type: 'meters_snapshot' as const,
  source: 'tab_capture' as const,
  tab_id: 7,
  snapshot: snap(patch),
});

class FakeLink implements MeterLink {
  readonly source = 'tab_capture' as const;
  sent: MeterMessage[] = [];
  saved: string[] = [];
  refuse: string | null = null;
  async streamId(tabId: number) {
    if (this.refuse) throw new Error(this.refuse);
    return `stream-for-${tabId}`;
  }
  send(msg: MeterMessage) {
    this.sent.push(msg);
  }
  saveTarget(t: string) {
    this.saved.push(t);
  }
}

/** A stereo sine of the given peak level, pushed in 128-sample quanta like an AudioWorklet. */
function feed(engine: MeterEngine, seconds: number, db: number, freq = 1000, rightSign = 1) {
  const a = 10 ** (db / 20);
  const q = 128;
  const l = new Float32Array(q);
  const r = new Float32Array(q);
  let n = 0;
  const snaps: MeterSnapshot[] = [];
  const total = Math.round(seconds * engine.sampleRate);
  for (let done = 0; done < total; done += q) {
    for (let i = 0; i < q; i++, n++) {
      l[i] = a * Math.sin((2 * Math.PI * freq * n) / engine.sampleRate);
      r[i] = rightSign * l[i]!;
    }
    if (engine.push([l, r], q)) snaps.push(engine.snapshot());
  }
  return snaps;
}

describe('meter snapshot schema', () => {
  it('accepts a snapshot from the engine, and the band list equals the DSP third-octave centres', () => {
    expect([...METER_BAND_CENTRES_HZ]).toEqual([...THIRD_OCTAVE_CENTRES_HZ]);
    const engine = new MeterEngine(48000, 2);
    const last = feed(engine, 1, -20).at(-1)!;
    expect(MeterSnapshot.safeParse(last).success).toBe(true);
    expect(
      MeterMessage.safeParse({ type: 'meters_snapshot', source: 'tab_capture', tab_id: 3, snapshot: last }).success,
    ).toBe(true);
  });

  it('refuses what a meter must never send: -Infinity, a wrong band count, a correlation out of range, an unknown type', () => {
    expect(MeterSnapshot.safeParse(snap({ integrated_lufs: -Infinity })).success).toBe(false);
    expect(MeterSnapshot.safeParse(snap({ bands: [1, 2, 3] })).success).toBe(false);
    expect(MeterSnapshot.safeParse(snap({ correlation: 1.5 })).success).toBe(false);
    expect(MeterMessage.safeParse({ type: 'meters_explode' }).success).toBe(false);
    expect(MeterMessage.safeParse({ type: 'meters_start', tab_id: 'x' }).success).toBe(false);
  });
});

describe('MeterEngine (what the worklet runs)', () => {
  it('a -20 dBFS stereo 1 kHz sine reads -20 LUFS momentary/short-term/integrated, -20 dBTP, correlation 1, energy at 1 kHz', () => {
    const engine = new MeterEngine(48000, 2);
    const snaps = feed(engine, 4, -20);
    expect(snaps.length).toBe(40); // ten a second
    const s = snaps.at(-1)!;
    expect(s.integrated_lufs).toBeCloseTo(-20, 1);
    expect(s.momentary_lufs).toBeCloseTo(-20, 1);
    expect(s.short_term_lufs).toBeCloseTo(-20, 1);
    expect(s.true_peak_dbtp!).toBeCloseTo(-20, 1);
    expect(s.correlation).toBe(1);
    const k1000 = METER_BAND_CENTRES_HZ.indexOf(1000);
    expect(s.bands[k1000]!).toBeGreaterThan(-21);
    expect(s.bands[k1000]! - (s.bands[METER_BAND_CENTRES_HZ.indexOf(125)] ?? -120)).toBeGreaterThan(40);
    expect(s.low_end_ratio!).toBeLessThan(0.01);
  });

  it('out-of-phase channels read correlation -1; reset clears the hold and restarts the count', () => {
    const engine = new MeterEngine(44100, 2);
    const hot = feed(engine, 1, -0.5, 997, -1).at(-1)!;
    expect(hot.correlation).toBe(-1);
    expect(hot.true_peak_dbtp!).toBeGreaterThan(-1);
    engine.reset();
    const quiet = feed(engine, 1, -30).at(-1)!;
    expect(quiet.seq).toBe(9);
    expect(quiet.true_peak_dbtp!).toBeCloseTo(-30, 0);
    expect(quiet.duration_s).toBeCloseTo(1, 1);
  });

  it('a reset while the sound goes on restarts the true-peak hold at the true peak, not at a step from silence', () => {
    const engine = new MeterEngine(48000, 2);
    const a = 10 ** (-30 / 20);
    let n = 0;
    let last: MeterSnapshot | undefined;
    const play = (quanta: number) => {
      for (let k = 0; k < quanta; k++) {
        const l = new Float32Array(128);
        for (let i = 0; i < 128; i++, n++) l[i] = a * Math.cos((2 * Math.PI * 1000 * n) / 48000);
        if (engine.push([l, l], 128)) last = engine.snapshot();
      }
    };
    play(375); // 1 s: the reset falls on a crest of the 1 kHz cosine, the worst case for a zeroed history
    engine.reset();
    play(94);
    expect(last!.seq).toBe(1);
    expect(last!.true_peak_dbtp!).toBeCloseTo(-30, 1);
    expect(last!.momentary_lufs).toBeNull(); // under 400 ms since the reset
  });
});

describe('meters store', () => {
  let link: FakeLink;
  beforeEach(() => {
    setActivePinia(createPinia());
    link = new FakeLink();
  });

  it('start asks for a stream id first, then the background; a refusal for lack of invocation becomes not_invoked', async () => {
    const store = useMetersStore();
    store.connect(link);
    await store.start(7);
    expect(link.sent).toEqual([{ type: 'meters_start', tab_id: 7, stream_id: 'stream-for-7' }]);
    expect(store.state).toBe('starting');
    link.refuse =
      'Extension has not been invoked for the current page (see activeTab permission). Chrome pages cannot be captured.';
    await store.start(7);
    expect(store.state).toBe('error');
    expect(store.error?.code).toBe('not_invoked');
  });

  it('keeps the latest snapshot and a bounded history; ignores malformed messages', () => {
    const store = useMetersStore();
    store.connect(link);
    for (let i = 0; i < HISTORY_POINTS + 5; i++) store.receive(snapshotMsg({ seq: i, duration_s: i / 10 }));
    store.receive({ type: 'meters_snapshot', snapshot: { seq: 'no' } });
    expect(store.state).toBe('running');
    expect(store.snapshot?.seq).toBe(HISTORY_POINTS + 4);
    expect(store.history).toHaveLength(HISTORY_POINTS);
    expect(store.history.at(-1)).toEqual({ t: (HISTORY_POINTS + 4) / 10, momentary: -14.2, shortTerm: -14.5 });
  });

  it('a snapshot still on its way after Stop does not bring the meter back to running; a new start takes them again', async () => {
    const store = useMetersStore();
    store.connect(link);
    await store.start(7);
    store.receive({ type: 'meters_status', state: 'running', source: 'tab_capture', tab_id: 7 });
    store.receive(snapshotMsg({ seq: 3 }));
    store.stop();
    store.receive(snapshotMsg({ seq: 4 }));
    expect(store.state).toBe('idle');
    expect(store.snapshot).toBeNull();
    store.receive({ type: 'meters_status', state: 'idle' });
    store.receive(snapshotMsg({ seq: 5 }));
    expect(store.state).toBe('idle');
    await store.start(7);
    store.receive(snapshotMsg({ seq: 0 }));
    expect(store.state).toBe('running');
    expect(store.snapshot?.seq).toBe(0);
  });

  it('the DAW starting to play resets the meter once (not on every update), and late pre-reset snapshots are dropped', () => {
    const store = useMetersStore();
    store.connect(link);
    store.onTransport(false);
    store.receive(snapshotMsg({ seq: 50 }));
    store.onTransport(false);
    expect(link.sent).toEqual([]);
    store.onTransport(true);
    store.onTransport(true);
    expect(link.sent).toEqual([{ type: 'meters_reset' }]);
    expect(store.snapshot).toBeNull();
    expect(store.lastReset?.reason).toBe('play');
    store.receive(snapshotMsg({ seq: 51, integrated_lufs: -9 })); // measured before the reset
    expect(store.snapshot).toBeNull();
    store.receive(snapshotMsg({ seq: 0, integrated_lufs: null }));
    expect(store.snapshot?.seq).toBe(0);
    expect(store.history).toHaveLength(1);
  });

  it('the hold is over the ceiling per target, and the chat metrics carry the names the server reviews', () => {
    const store = useMetersStore();
    store.connect(link);
    store.receive(snapshotMsg({ true_peak_dbtp: -1.5 }));
    expect(store.over).toBe(false);
    store.setTarget('amazon'); // -2 dBTP
    expect(store.over).toBe(true);
    expect(link.saved).toEqual(['amazon']);
    store.setTarget('nonsense');
    expect(store.target).toBe('amazon');
    const metrics = store.metrics();
    expect(metrics).toMatchObject({
      target: 'amazon',
      integrated_lufs: -14.8,
      true_peak_dbtp: -1.5,
      range_lu: 3.2,
      correlation: 0.7,
      low_end_ratio: 0.3,
    });
    expect(DawContext.safeParse({ metrics }).success).toBe(true);
    expect(chatMetrics(snap({ integrated_lufs: null, duration_s: 1 }), 'spotify')).not.toHaveProperty(
      'integrated_lufs',
    );
    expect(chatMetrics(snap({ duration_s: 1 }), 'spotify')).not.toHaveProperty('range_lu');
    expect(overCeiling(snap({ true_peak_dbtp: LOUDNESS_TARGETS.club.true_peak_dbtp + 0.1 }), 'club')).toBe(true);
  });
});

describe('meters panel (component)', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const withDaw = () => {
    const codette = useCodetteStore();
    const sent: FromUi[] = [];
    codette.connect((m) => sent.push(m));
    const status = {
      phase: 'connected',
      attempt: 0,
      nextRetryAt: null,
      problem: null,
      server: null,
      connectionId: 'c',
      health: null,
      latencyMs: 1,
      lastHealthAt: 0,
      serverUrl: 'x',
      queue: 0,
      waiting: 0,
    } as never;
    const daw = (playing: boolean) => ({
      tabId: 7,
      site: 'Tone DAW',
      title: 'Tone DAW',
      observed: { playing },
      controls: [],
      at: 0,
    });
    codette.receive({
      type: 'snapshot',
      snapshot: { connection: status, transport: null, daw: daw(false), outbox: [], notices: [] },
    });
    return {
      codette,
      sent,
      play: () =>
        codette.receive({
          type: 'snapshot',
          snapshot: { connection: status, transport: null, daw: daw(true), outbox: [], notices: [] },
        }),
    };
  };

  it('shows the figures as text, the hold red above the ceiling, the history target line, and asks Codette with the figures', async () => {
    const { sent } = withDaw();
    const meters = useMetersStore();
    const link = new FakeLink();
    meters.connect(link);
    useLayoutStore().set('meters', true);
    const w = mount(MetersPanel);
    await w.get('[data-testid=meters-start]').trigger('click');
    await new Promise((r) => setTimeout(r, 0));
    expect(link.sent[0]).toEqual({ type: 'meters_start', tab_id: 7, stream_id: 'stream-for-7' });
    meters.receive(snapshotMsg({ integrated_lufs: -14.8, true_peak_dbtp: -0.4 }));
    await w.vm.$nextTick();
    expect(w.get('[data-testid=m-integrated]').text()).toContain('-14.8');
    expect(w.get('[data-testid=m-momentary]').text()).toContain('-14.2');
    expect(w.get('[data-testid=m-lra]').text()).toContain('3.2');
    expect(w.get('[data-testid=m-correlation]').text()).toBe('0.80');
    expect(w.get('[data-testid=m-truepeak]').element.closest('.level')?.getAttribute('data-zone')).toBe('over');
    expect(w.find('[data-testid=m-over]').exists()).toBe(true);
    expect(w.get('[data-testid=history-target]').attributes('data-lufs')).toBe('-14');
    expect(w.get('[data-testid=loudness-history]').attributes('aria-label')).toContain('historyLabel');
    expect(w.findAll('[data-testid=spectrum] rect')).toHaveLength(METER_BAND_CENTRES_HZ.length);

    await w.get('[data-testid=meter-target]').setValue('ebu_r128');
    expect(w.get('[data-testid=history-target]').attributes('data-lufs')).toBe('-23');
    await w.get('[data-testid=ask-mix]').trigger('click');
    const ask = sent.find((m) => m.type === 'chat_send') as Extract<FromUi, { type: 'chat_send' }>;
    expect(ask.request.message).toBe('How does my mix measure up against EBU R128 broadcast right now?');
    expect(ask.request.daw_context?.metrics).toMatchObject({
      target: 'ebu_r128',
      integrated_lufs: -14.8,
      true_peak_dbtp: -0.4,
    });
    w.unmount();
  });

  it('resets when the DAW starts playing and says so; without a snapshot there is nothing to ask about', async () => {
    const { play } = withDaw();
    const meters = useMetersStore();
    const link = new FakeLink();
    meters.connect(link);
    useLayoutStore().set('meters', true);
    const w = mount(MetersPanel);
    expect(w.get('[data-testid=ask-mix]').attributes('disabled')).toBeDefined();
    meters.receive(snapshotMsg());
    play();
    await w.vm.$nextTick();
    expect(link.sent).toContainEqual({ type: 'meters_reset' });
    expect(w.find('[data-testid=reset-on-play]').exists()).toBe(true);
    expect(w.get('[data-testid=m-integrated]').text()).toContain('–');
    w.unmount();
  });
});
