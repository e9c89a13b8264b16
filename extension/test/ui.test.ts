import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ChatView from '../components/ChatView.vue';
import ConnectionBanner from '../components/ConnectionBanner.vue';
import NoticeList from '../components/NoticeList.vue';
import { describeDropped, type DroppedEntry } from '../lib/outbox';
import TransportBar from '../components/TransportBar.vue';
import type { ConnectionStatus } from '../lib/connection';
import type { FromUi } from '../lib/messages';
import { badgeFor } from '../lib/badge';
import { formatBarsBeats, formatLoop, tapTempo } from '../lib/format';
import { useCodetteStore } from '../stores/codette';

const status = (patch: Partial<ConnectionStatus> = {}): ConnectionStatus => ({
  phase: 'connected',
  attempt: 0,
  nextRetryAt: null,
  problem: null,
  server: { version: '0.1.0', protocol: 1 },
  connectionId: 'c',
  health: null,
  latencyMs: 3,
  lastHealthAt: 0,
  serverUrl: 'http://127.0.0.1:8000',
  queue: 0,
  waiting: 0,
  ...patch,
});
const view = {
  known: true,
  playing: false,
  recording: false,
  bpm: 120,
  loop: { enabled: false, start: 0, end: 8 },
  metronome: false,
  seconds: 0,
  bars: '1.1.000',
  source: 'daw',
};

describe('side panel components', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('the banner says the server is not running, with the queue and a Retry button', async () => {
    const w = mount(ConnectionBanner, {
      props: {
        status: status({
          phase: 'offline',
          problem: { code: 'server_down' },
          queue: 2,
          nextRetryAt: Date.now() + 4000,
        }),
      },
    });
    expect(w.get('[data-testid=banner]').attributes('data-phase')).toBe('offline');
    expect(w.get('[data-testid=problem]').text()).toContain('problemServerDown');
    expect(w.get('[data-testid=queue]').text()).toContain('2');
    await w.get('[data-testid=retry]').trigger('click');
    expect(w.emitted('retry')).toHaveLength(1);
    w.unmount();
  });

  it("a refused message is told in the server's words, without its error code", () => {
    const w = mount(NoticeList, {
      props: { notices: [{ id: 'n1', kind: 'rejected', detail: 'not_found: session abc not found', at: 0 }] },
    });
    expect(w.text()).toContain('rejected(session abc not found)');
    expect(w.text()).not.toContain('not_found');
    w.unmount();
  });

  it('messages that expired in the outbox are named, not only counted', () => {
    const dropped = describeDropped(
      [
        {
          entry: {
            id: 'c1',
            createdAt: 0,
            message: { type: 'transport', command: { action: 'tempo', bpm: 92 } },
          } as DroppedEntry['entry'],
          reason: 'expired',
        },
      ],
      5,
    );
    const w = mount(NoticeList, {
      props: {
        notices: [
          { id: 'n2', kind: 'expired', count: 1, detail: dropped.entries.map((e) => e.summary).join(' · '), at: 5 },
        ],
      },
    });
    expect(w.get('[data-testid=expired-what]').text()).toBe('tempo 92');
    w.unmount();
  });

  it('the banner hides when connected, even with a message on its way (no "1 waiting to send" flash)', () => {
    const queued = mount(ConnectionBanner, { props: { status: status({ queue: 1 }) } });
    expect(queued.find('[data-testid=banner]').exists()).toBe(false);
    queued.unmount();
  });

  it('the banner hides when connected with nothing queued', () => {
    const w = mount(ConnectionBanner, { props: { status: status() } });
    expect(w.find('[data-testid=banner]').exists()).toBe(false);
    w.unmount();
  });

  it('the transport bar shows the state and sends commands (play toggles to pause, tempo, loop)', async () => {
    const w = mount(TransportBar, {
      props: { view: { ...view, playing: true, loop: { enabled: true, start: 0, end: 8 } }, site: 'Demo' },
    });
    expect(w.get('[data-testid=play]').attributes('aria-pressed')).toBe('true');
    await w.get('[data-testid=play]').trigger('click');
    await w.get('[data-testid=loop]').trigger('click');
    const bpm = w.get('[data-testid=bpm]');
    for (const v of ['90', '9000']) {
      (bpm.element as HTMLInputElement).value = v;
      await bpm.trigger('input');
      await bpm.trigger('change');
    }
    expect(w.emitted('command')?.map((c) => c[0])).toEqual([
      { action: 'pause' },
      { action: 'loop', enabled: false },
      { action: 'tempo', bpm: 90 },
    ]);
    expect((w.get('[data-testid=bpm]').element as HTMLInputElement).value).toBe('120');
  });

  it('chat shows a pending message, streams the reply, then renders it sanitised with sources and feedback', async () => {
    const store = useCodetteStore();
    const sent: FromUi[] = [];
    store.connect((m) => sent.push(m));
    const w = mount(ChatView);
    await w.get('[data-testid=input]').setValue('why is my kick muddy?');
    await w.get('form').trigger('submit');
    const ask = sent.find((m) => m.type === 'chat_send');
    expect(ask).toMatchObject({ request: { message: 'why is my kick muddy?', perspective: 'auto' } });
    const sessionId = (ask as Extract<FromUi, { type: 'chat_send' }>).sessionId;
    const session = {
      id: sessionId,
      title: 'why',
      createdAt: 0,
      updatedAt: 0,
      messages: [{ id: 'm1', role: 'user' as const, text: 'why is my kick muddy?', at: 0 }],
    };
    store.receive({ type: 'chat_session', session });
    store.receive({
      type: 'snapshot',
      snapshot: {
        connection: status({ queue: 1 }),
        transport: null,
        daw: null,
        outbox: [{ id: 'm1', type: 'chat', createdAt: 0 }],
        notices: [],
      },
    });
    await w.vm.$nextTick();
    expect(w.find('[data-pending=true]').exists()).toBe(true);
    store.receive({ type: 'chat_delta', id: 'm1', delta: 'Cut **250 Hz**' });
    await w.vm.$nextTick();
    expect(w.get('[data-testid=streaming]').html()).toContain('<strong>250 Hz</strong>');
    const reply = {
      response: 'Cut **250 Hz** around the kick.',
      perspective: 'mix_engineering' as const,
      confidence: 0.8,
      sources: [{ id: 'eq.mud', title: 'Mud', category: 'eq' as never }],
      actions: [],
      follow_ups: ['And the bass?'],
      session_id: sessionId,
      message_id: 'srv-1',
      engine: 'local',
    };
    store.receive({
      type: 'chat_session',
      session: {
        ...session,
        messages: [...session.messages, { id: 'm1', role: 'assistant' as const, text: reply.response, at: 1, reply }],
      },
    });
    store.receive({
      type: 'snapshot',
      snapshot: { connection: status(), transport: null, daw: null, outbox: [], notices: [] },
    });
    await w.vm.$nextTick();
    const answer = w.get('[data-role=assistant]');
    expect(answer.find('strong').text()).toBe('250 Hz');
    expect(answer.text()).toContain('Mud');
    await answer.get('button[aria-label=thumbUp]').trigger('click');
    expect(sent.at(-1)).toEqual({ type: 'feedback', sessionId, feedback: { message_id: 'srv-1', rating: 'up' } });
    w.unmount();
  });

  it('tap tempo averages the whole run of taps: jitter of ±15 ms on each of 8 taps at 120 BPM still reads 120', () => {
    const jitter = [0, 14, -15, 9, -12, 15, -8, 3];
    let taps: number[] = [];
    let bpm: number | null = null;
    jitter.forEach((j, i) => ({ taps, bpm } = tapTempo(taps, 1000 + i * 500 + j)));
    expect(bpm).toBe(120);
    // The last interval alone (the old mean of the last few) would say 60000 / 511 = 117.4.
    expect(tapTempo(taps, 1000 + 8 * 500 + 3000).taps).toHaveLength(1);
  });

  it('positions and loops read in bars.beats at the tempo and time signature', () => {
    expect(formatBarsBeats(8, 120)).toBe('5.1');
    expect(formatLoop(8, 16, 120)).toBe('5.1 – 9.1');
    expect(formatLoop(0, 6, 120, { numerator: 3, denominator: 4 })).toBe('1.1 – 5.1');
    expect(formatLoop(4, 4, 120)).toBe('');
  });

  it('the badge is green connected, amber queued or degraded, red offline', () => {
    expect(badgeFor(status()).level).toBe('green');
    expect(badgeFor(status({ queue: 3 }))).toMatchObject({ level: 'amber', text: '3' });
    expect(badgeFor(status({ phase: 'degraded' })).level).toBe('amber');
    expect(badgeFor(status({ phase: 'offline' })).level).toBe('red');
  });
});
