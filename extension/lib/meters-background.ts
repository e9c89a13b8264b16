import { browser } from 'wxt/browser';
import { MeterMessage } from '../../shared/schemas/meters';

/**
 * The background's part of the live meters. Chrome: owns the offscreen document (one at a time) that captures the
 * DAW tab and hands it the stream id. Firefox: relays control to the DAW tab's content script, which meters the
 * page's own AudioContext. Snapshots never pass through here.
 */
interface OffscreenApi {
  createDocument(o: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
  hasDocument?(): Promise<boolean>;
}

const OFFSCREEN_URL = 'offscreen.html';

export function installMeters(): void {
  const offscreen = (globalThis as { chrome?: { offscreen?: OffscreenApi } }).chrome?.offscreen;
  let meteredTab: number | null = null;
  let creating: Promise<void> | null = null;

  const status = (msg: MeterMessage & { type: 'meters_status' }) =>
    void browser.runtime.sendMessage(msg).catch(() => undefined);

  const hasDocument = async (): Promise<boolean> => {
    if (!offscreen) return false;
    if (offscreen.hasDocument) return offscreen.hasDocument();
    const contexts = await (browser.runtime as unknown as { getContexts(f: object): Promise<unknown[]> }).getContexts({
      contextTypes: ['OFFSCREEN_DOCUMENT'],
    });
    return contexts.length > 0;
  };

  const ensureDocument = async () => {
    if (await hasDocument()) return;
    creating ??= offscreen!
      .createDocument({
        url: OFFSCREEN_URL,
        reasons: ['USER_MEDIA'],
        justification: "Measure the loudness of the DAW tab's audio for Codette's meters",
      })
      .finally(() => (creating = null));
    await creating;
  };

  const sendToOffscreen = async (msg: MeterMessage) => {
    for (let i = 0; i < 20; i++) {
      try {
        await browser.runtime.sendMessage(msg);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50)); // the document is still loading
      }
    }
  };

  const start = async (tab: number, streamId: string | undefined) => {
    meteredTab = tab;
    if (streamId && offscreen) {
      try {
        await ensureDocument();
      } catch (e) {
        status({
          type: 'meters_status',
          state: 'error',
          source: 'tab_capture',
          tab_id: tab,
          error: { code: 'capture_failed', message: String((e as Error)?.message ?? e).slice(0, 500) },
        });
        return;
      }
      await sendToOffscreen({ type: 'meters_capture', tab_id: tab, stream_id: streamId });
      return;
    }
    // Firefox (no tabCapture): the page hook in the DAW tab meters the page's AudioContext.
    try {
      await browser.tabs.sendMessage(tab, { type: 'meters_start', tab_id: tab } satisfies MeterMessage);
    } catch (e) {
      status({
        type: 'meters_status',
        state: 'error',
        source: 'page_hook',
        tab_id: tab,
        error: { code: 'no_tab', message: String((e as Error)?.message ?? e).slice(0, 500) },
      });
    }
  };

  const stop = async () => {
    const tab = meteredTab;
    meteredTab = null;
    if (offscreen && (await hasDocument())) await offscreen.closeDocument().catch(() => undefined);
    if (tab !== null && !offscreen)
      await browser.tabs.sendMessage(tab, { type: 'meters_stop' } satisfies MeterMessage).catch(() => undefined);
    status({ type: 'meters_status', state: 'idle' });
  };

  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    const parsed = MeterMessage.safeParse(raw);
    if (!parsed.success) return undefined;
    const msg = parsed.data;
    // Only the extension's own pages control the meters.
    if (sender.tab && !sender.url?.startsWith(browser.runtime.getURL('/'))) return undefined;
    if (msg.type === 'meters_start') void start(msg.tab_id, msg.stream_id);
    else if (msg.type === 'meters_stop') void stop();
    else if (!offscreen && meteredTab !== null && (msg.type === 'meters_reset' || msg.type === 'meters_query')) {
      void browser.tabs.sendMessage(meteredTab, msg).catch(() => undefined);
    }
    return undefined;
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    if (tabId === meteredTab) void stop();
  });
}
