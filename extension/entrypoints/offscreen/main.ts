/**
 * Chrome's offscreen document for the live meters (reason USER_MEDIA): opens the DAW tab's captured audio, plays it
 * back to the speakers (capturing a tab mutes it otherwise) and runs the meter DSP in an AudioWorklet. Snapshots go to
 * the extension's pages on a BroadcastChannel (no wake-up of the service worker ten times a second); control comes as
 * runtime messages (the only extension API an offscreen document has).
 */
import { browser } from 'wxt/browser';
import { MeterMessage, MeterSnapshot } from '../../../shared/schemas/meters';
import { METER_PROCESSOR, METER_WORKLET_PATH } from '../../lib/meters-engine';
import { METER_CHANNEL } from '../../lib/meters';

const channel = new BroadcastChannel(METER_CHANNEL);
let ctx: AudioContext | null = null;
let stream: MediaStream | null = null;
let node: AudioWorkletNode | null = null;
let tabId: number | null = null;
let state: MeterMessage & { type: 'meters_status' } = { type: 'meters_status', state: 'idle' };

function publish(msg: MeterMessage) {
  channel.postMessage(msg);
}
function setState(next: Omit<MeterMessage & { type: 'meters_status' }, 'type'>) {
  state = { type: 'meters_status', ...next };
  publish(state);
}

async function start(tab: number, streamId: string) {
  await stop();
  tabId = tab;
  setState({ state: 'starting', source: 'tab_capture', tab_id: tab });
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: streamId } } as MediaTrackConstraints,
      video: false,
    });
  } catch (e) {
    setState({
      state: 'error',
      source: 'tab_capture',
      tab_id: tab,
      error: { code: 'capture_failed', message: String((e as Error)?.message ?? e).slice(0, 500) },
    });
    return;
  }
  try {
    ctx = new AudioContext();
    const source = ctx.createMediaStreamSource(stream);
    // Keep the tab audible: a captured tab is muted unless its sound is played back from here.
    source.connect(ctx.destination);
    await ctx.audioWorklet.addModule(browser.runtime.getURL(METER_WORKLET_PATH));
    node = new AudioWorkletNode(ctx, METER_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 2,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    node.port.onmessage = (e: MessageEvent) => {
      const data = e.data as { type?: string; snapshot?: unknown };
      if (data?.type !== 'snapshot' || tabId === null) return;
      publish({
        type: 'meters_snapshot',
        source: 'tab_capture',
        tab_id: tabId,
        snapshot: data.snapshot as MeterSnapshot,
      });
    };
    source.connect(node);
    if (ctx.state !== 'running') await ctx.resume();
  } catch (e) {
    await stop();
    setState({
      state: 'error',
      source: 'tab_capture',
      tab_id: tab,
      error: { code: 'worklet_failed', message: String((e as Error)?.message ?? e).slice(0, 500) },
    });
    return;
  }
  const captured = stream;
  for (const track of stream.getAudioTracks()) {
    track.addEventListener('ended', () => {
      // Only a capture that is still ours ended by itself: one stopped on purpose (meters_stop) is not an error.
      if (stream !== captured) return;
      void stop().then(() =>
        setState({
          state: 'error',
          source: 'tab_capture',
          tab_id: tab,
          error: { code: 'ended', message: 'the tab stopped sharing its audio (closed or navigated)' },
        }),
      );
    });
  }
  setState({ state: 'running', source: 'tab_capture', tab_id: tab });
}

async function stop() {
  node?.port.postMessage({ type: 'stop' });
  node?.disconnect();
  node = null;
  for (const t of stream?.getTracks() ?? []) t.stop();
  stream = null;
  const c = ctx;
  ctx = null;
  await c?.close().catch(() => undefined);
}

browser.runtime.onMessage.addListener((raw: unknown) => {
  const parsed = MeterMessage.safeParse(raw);
  if (!parsed.success) return undefined;
  const msg = parsed.data;
  switch (msg.type) {
    case 'meters_capture':
      void start(msg.tab_id, msg.stream_id);
      break;
    // The panel's stop reaches this document too, before the background closes it: closing it with the capture still
    // running ends the tab's track, which would otherwise read as "the tab stopped sharing its audio".
    case 'meters_stop':
      void stop();
      break;
    case 'meters_reset':
      node?.port.postMessage({ type: 'reset' });
      break;
    case 'meters_query':
      publish(state);
      break;
    default:
      break;
  }
  return undefined;
});
