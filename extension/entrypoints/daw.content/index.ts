import { browser } from 'wxt/browser';
import type { DawReport } from '../../../shared/schemas/transport';
import { DawAdapter } from '../../content/adapter';
import { AUDIO_EVENT, AUDIO_QUERY_EVENT, parseAudioDetail } from '../../content/audio-hook';
import { DAW_MATCHES } from '../../content/matches';
import { profileFor, type SiteProfile } from '../../content/profiles';
import { DAW_KEEPALIVE_MS, DAW_PORT, type FromDaw, type ToDaw } from '../../lib/messages';
import { SETTINGS_KEY } from '../../lib/settings-key';

/** The DAW tab's side: observes the transport, reports every change, carries out commands from the panel or server. */
export default defineContentScript({
  matches: DAW_MATCHES,
  runAt: 'document_idle',
  allFrames: false,
  async main(ctx) {
    const site = location.origin;
    let announced = false;
    const adapter = new DawAdapter(document, { onChange: (report) => send(report, 'change') });

    const looksLikeDaw = () => {
      const controls = adapter.controls();
      return !!adapter.profile || controls.some((c) => c !== 'keys');
    };
    // Held while this page is a DAW (see DAW_PORT), opened again when the background restarts (which also wakes it).
    // Firefox suspends an idle event page even with a content script's port open; a message through the port every few
    // seconds counts as activity (its default idle limit is 30 s).
    let hold: ReturnType<typeof browser.runtime.connect> | null = null;
    const holdBackground = () => {
      if (hold || ctx.isInvalid) return;
      try {
        hold = browser.runtime.connect({ name: DAW_PORT });
      } catch {
        return; // the extension was reloaded: this script is an orphan
      }
      hold.onDisconnect.addListener(() => {
        hold = null;
        ctx.setTimeout(holdBackground, 1000);
      });
    };
    ctx.setInterval(() => {
      try {
        hold?.postMessage({ type: 'keepalive' });
      } catch {
        hold = null;
      }
    }, DAW_KEEPALIVE_MS);
    const send = (observed: DawReport, reason: FromDaw['reason']) => {
      if (!announced) {
        if (!looksLikeDaw()) return;
        announced = true;
        holdBackground();
      }
      const msg: FromDaw = { type: 'daw_state', site, title: document.title.slice(0, 120), observed, controls: adapter.controls(), reason };
      void browser.runtime.sendMessage(msg).catch(() => undefined);
    };

    const loadProfile = async () => {
      const items = await browser.storage.local.get(SETTINGS_KEY);
      // The options page validated the profiles before saving them; here, only their outline is checked (no zod in pages).
      const stored = items[SETTINGS_KEY] as { profiles?: unknown } | undefined;
      const profiles = Array.isArray(stored?.profiles) ? (stored.profiles as SiteProfile[]).filter((p) => typeof p?.match === 'string') : [];
      adapter.profile = profileFor(site, profiles);
    };
    await loadProfile();
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && changes[SETTINGS_KEY]) void loadProfile();
    });

    const onAudio = (e: Event) => {
      const state = parseAudioDetail((e as CustomEvent<unknown>).detail);
      if (state) adapter.setAudio(state);
    };
    document.addEventListener(AUDIO_EVENT, onAudio);
    document.dispatchEvent(new CustomEvent(AUDIO_QUERY_EVENT));

    browser.runtime.onMessage.addListener((raw: unknown) => {
      const msg = raw as ToDaw;
      if (msg?.type === 'daw_command') return Promise.resolve(adapter.execute(msg.command));
      if (msg?.type === 'daw_query') {
        send(adapter.observe(), 'query');
        return Promise.resolve(true);
      }
      return undefined;
    });

    adapter.start();
    send(adapter.observe(), 'hello');
    ctx.onInvalidated(() => {
      hold?.disconnect();
      adapter.stop();
      document.removeEventListener(AUDIO_EVENT, onAudio);
    });
  },
});
