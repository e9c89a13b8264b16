import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { LOUDNESS_TARGETS, type LoudnessTargetName } from '../../shared/loudness-targets';
import {
  MeterMessage,
  type MeterErrorCode,
  type MeterSnapshot,
  type MeterSource,
  type MeterState,
} from '../../shared/schemas/meters';
import { chatMetrics, HISTORY_POINTS, isTargetName, overCeiling, type HistoryPoint } from './meters';

/** How the store reaches the meter: real browser APIs in the panel (meters-link.ts), a fake in tests. */
export interface MeterLink {
  /** 'tab_capture' (Chrome), 'page_hook' (Firefox: the page's own AudioContext). */
  readonly source: MeterSource;
  /** Chrome: a tab-capture stream id for the tab. Must be the first thing the click does (the user's gesture). */
  streamId?(tabId: number): Promise<string>;
  send(msg: MeterMessage): void;
  saveTarget?(target: LoudnessTargetName): void;
}

export const useMetersStore = defineStore('meters', () => {
  const state = ref<MeterState>('idle');
  const source = ref<MeterSource | null>(null);
  const tabId = ref<number | null>(null);
  const error = ref<{ code: MeterErrorCode; message: string } | null>(null);
  const snapshot = shallowRef<MeterSnapshot | null>(null);
  const history = shallowRef<HistoryPoint[]>([]);
  const target = ref<LoudnessTargetName>('spotify');
  /** Why the last reset happened (shown briefly). */
  const lastReset = ref<{ reason: 'play' | 'user'; at: number } | null>(null);
  let link: MeterLink | null = null;
  /** After a reset, snapshots measured before it may still be on their way: drop them until the count restarts. */
  let dropFromSeq: number | null = null;
  let wasPlaying: boolean | null = null;
  /**
   * Stopped (here, or a status said idle or error): snapshots the worklet published before it stopped may still be on
   * their way, and must not bring the meter back to running with stale figures. A panel that opens while the meter
   * runs has not stopped anything, so it takes the running meter's snapshots as they come.
   */
  let stopped = false;

  const targetInfo = computed(() => LOUDNESS_TARGETS[target.value]);
  const over = computed(() => overCeiling(snapshot.value, target.value));
  const running = computed(() => state.value === 'running');

  function connect(l: MeterLink) {
    link = l;
  }

  function clear() {
    snapshot.value = null;
    history.value = [];
  }

  function receive(raw: unknown) {
    const parsed = MeterMessage.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'meters_status') {
      state.value = msg.state;
      source.value = msg.source ?? source.value;
      tabId.value = msg.tab_id ?? tabId.value;
      error.value = msg.error ?? null;
      stopped = msg.state === 'idle' || msg.state === 'error';
      if (msg.state === 'idle') clear();
      return;
    }
    if (msg.type !== 'meters_snapshot' || stopped) return;
    const snap = msg.snapshot;
    if (dropFromSeq !== null) {
      if (snap.seq >= dropFromSeq) return;
      dropFromSeq = null;
    }
    if (state.value !== 'running') {
      state.value = 'running';
      error.value = null;
    }
    source.value = msg.source;
    tabId.value = msg.tab_id;
    const prev = snapshot.value;
    // A new measurement (reset elsewhere, or the meter restarted): the history starts again.
    const restarted = prev !== null && snap.seq < prev.seq;
    snapshot.value = snap;
    const point: HistoryPoint = { t: snap.duration_s, momentary: snap.momentary_lufs, shortTerm: snap.short_term_lufs };
    const h = restarted ? [] : history.value.slice(history.value.length >= HISTORY_POINTS ? 1 : 0);
    h.push(point);
    history.value = h;
  }

  async function start(tab: number) {
    if (!link) return;
    error.value = null;
    stopped = false;
    state.value = 'starting';
    tabId.value = tab;
    source.value = link.source;
    try {
      const streamId = link.streamId ? await link.streamId(tab) : undefined;
      link.send({ type: 'meters_start', tab_id: tab, ...(streamId ? { stream_id: streamId } : {}) });
    } catch (e) {
      const message = String((e as Error)?.message ?? e).slice(0, 500);
      state.value = 'error';
      error.value = { code: /invoked|activeTab/i.test(message) ? 'not_invoked' : 'capture_failed', message };
    }
  }

  function stop() {
    stopped = true;
    link?.send({ type: 'meters_stop' });
    state.value = 'idle';
    clear();
  }

  function reset(reason: 'play' | 'user' = 'user') {
    if (!link) return;
    const seq = snapshot.value?.seq ?? 0;
    dropFromSeq = seq > 1 ? seq : null;
    clear();
    lastReset.value = { reason, at: Date.now() };
    link.send({ type: 'meters_reset' });
  }

  /** Follows the DAW's transport: starting playback resets the measurement (as Youlean/Insight do with the host). */
  function onTransport(playing: boolean) {
    const started = wasPlaying === false && playing;
    wasPlaying = playing;
    if (started && (state.value === 'running' || state.value === 'starting')) reset('play');
  }

  function setTarget(name: string) {
    if (!isTargetName(name)) return;
    target.value = name;
    link?.saveTarget?.(name);
  }

  function query() {
    link?.send({ type: 'meters_query' });
  }

  return {
    state,
    source,
    tabId,
    error,
    snapshot,
    history,
    target,
    lastReset,
    targetInfo,
    over,
    running,
    connect,
    receive,
    start,
    stop,
    reset,
    onTransport,
    setTarget,
    query,
    metrics: () => chatMetrics(snapshot.value, target.value),
  };
});
