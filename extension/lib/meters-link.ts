import { browser } from 'wxt/browser';
import type { MeterMessage } from '../../shared/schemas/meters';
import { METER_CHANNEL, METER_TARGET_KEY, isTargetName } from './meters';
import type { useMetersStore } from './meters-store';

interface TabCaptureApi {
  getMediaStreamId(o: { targetTabId: number }): Promise<string>;
}

/** Wires the meters store of a page (the side panel) to the real meter: BroadcastChannel + runtime messages. */
export function connectMeters(store: ReturnType<typeof useMetersStore>): () => void {
  const tabCapture = (globalThis as { chrome?: { tabCapture?: TabCaptureApi } }).chrome?.tabCapture;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(METER_CHANNEL) : null;
  if (channel) channel.onmessage = (e: MessageEvent) => store.receive(e.data);
  const onRuntime = (raw: unknown) => {
    store.receive(raw);
    return undefined;
  };
  browser.runtime.onMessage.addListener(onRuntime);
  store.connect({
    source: tabCapture ? 'tab_capture' : 'page_hook',
    ...(tabCapture ? { streamId: (tabId: number) => tabCapture.getMediaStreamId({ targetTabId: tabId }) } : {}),
    send: (msg: MeterMessage) => void browser.runtime.sendMessage(msg).catch(() => undefined),
    saveTarget: (target) => void browser.storage.local.set({ [METER_TARGET_KEY]: target }).catch(() => undefined),
  });
  void browser.storage.local
    .get(METER_TARGET_KEY)
    .then((v) => {
      const saved = (v as Record<string, unknown>)[METER_TARGET_KEY];
      if (isTargetName(saved)) store.target = saved;
    })
    .catch(() => undefined);
  if (tabCapture) {
    store.query();
  } else {
    // Firefox: no tabCapture and no offscreen documents. Metering the page's own Web Audio output (the main-world
    // hook) is not built yet, so the panel says so instead of offering a Start button that cannot work.
    store.receive({
      type: 'meters_status',
      state: 'error',
      source: 'page_hook',
      error: {
        code: 'unsupported',
        message: 'this browser has no tab capture (Chrome only); metering inside the DAW page is not built yet',
      },
    });
  }
  return () => {
    channel?.close();
    browser.runtime.onMessage.removeListener(onRuntime);
  };
}
