import { browser } from 'wxt/browser';
import type { DawCommandOutcome, DawReport } from '../../../shared/schemas/transport';
import { DawAdapter } from '../../content/adapter';
import { AUDIO_EVENT, AUDIO_MODE_EVENT, AUDIO_QUERY_EVENT, parseAudioDetail } from '../../content/audio-hook';
import { DAW_MATCHES } from '../../content/matches';
import { profileFor, type LearnedKeys, type SiteProfile } from '../../content/profiles';
import { TeachMode } from '../../content/teach';
import { DAW_KEEPALIVE_MS, DAW_PORT, type FromDaw, type ToDaw } from '../../lib/messages';
import { SETTINGS_KEY } from '../../lib/settings-key';

/** Keys the user was seen to start or stop a DAW with, per origin (see DawAdapter's learning). */
const LEARNED_KEY = 'codette.learned-keys.v1';

/**
 * The DAW tab's side: observes the transport, reports every change, carries out commands from the panel or server and
 * reports what each did. The background decides whether this site may report at all (the user enables it once).
 */
export default defineContentScript({
  matches: DAW_MATCHES,
  runAt: 'document_idle',
  allFrames: false,
  async main(ctx) {
    const site = location.origin;
    let announced = false;
    const adapter = new DawAdapter(document, {
      onChange: (report) => send(report, 'change'),
      onLearn: (learned) => void saveLearned(learned),
      onAudioNeeded: (needed) =>
        document.dispatchEvent(new CustomEvent(AUDIO_MODE_EVENT, { detail: needed ? 'listen' : 'rest' })),
    });

    const looksLikeDaw = () => {
      const controls = adapter.controls();
      return !!adapter.profile || controls.length > 0;
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
    const post = (msg: FromDaw) => void browser.runtime.sendMessage(msg).catch(() => undefined);
    const send = (
      observed: DawReport,
      reason: Extract<FromDaw, { type: 'daw_state' }>['reason'],
      outcome?: DawCommandOutcome,
    ) => {
      if (!announced) {
        if (!looksLikeDaw()) return;
        announced = true;
        holdBackground();
      }
      post({
        type: 'daw_state',
        site,
        title: document.title.slice(0, 120),
        observed,
        controls: adapter.controls(),
        reason,
        ...(outcome ? { outcome } : {}),
      });
    };

    let learnedAll: Record<string, LearnedKeys> = {};
    const saveLearned = async (learned: LearnedKeys) => {
      learnedAll = { ...learnedAll, [site]: learned };
      await browser.storage.local.set({ [LEARNED_KEY]: learnedAll }).catch(() => undefined);
    };
    const loadProfile = async () => {
      const items = await browser.storage.local.get([SETTINGS_KEY, LEARNED_KEY]);
      // The options page validated the profiles before saving them; here, only their outline is checked (no zod in pages).
      const stored = items[SETTINGS_KEY] as { profiles?: unknown } | undefined;
      const profiles = Array.isArray(stored?.profiles)
        ? (stored.profiles as SiteProfile[]).filter((p) => typeof p?.match === 'string')
        : [];
      const learned = items[LEARNED_KEY];
      learnedAll = learned && typeof learned === 'object' ? (learned as Record<string, LearnedKeys>) : {};
      adapter.learned = learnedAll[site] ?? {};
      adapter.profile = profileFor(site, profiles, undefined, document.title);
    };
    await loadProfile();
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && (changes[SETTINGS_KEY] || changes[LEARNED_KEY])) void loadProfile();
    });

    // The main-world hook's events can be sent by page script too: the adapter lets them count only after a user's
    // own gesture or during a command of ours (see DawAdapter.setAudio).
    const onAudio = (e: Event) => {
      const state = parseAudioDetail((e as CustomEvent<unknown>).detail);
      if (!state) return;
      adapter.setAudio(state);
      // A canvas app that made its first AudioContext: a DAW after all (announced once, with its current state).
      if (!announced) send(adapter.observe(), 'change');
    };
    document.addEventListener(AUDIO_EVENT, onAudio);
    document.dispatchEvent(new CustomEvent(AUDIO_QUERY_EVENT));

    const teach = new TeachMode(
      document,
      adapter,
      (progress) => post({ type: 'teach_progress', ...progress }),
      browser.storage.local,
    );

    browser.runtime.onMessage.addListener((raw: unknown) => {
      // Only this extension's background reaches this listener, and it builds ToDaw from parsed input. Parsing here
      // with the zod schema would triple this script (50 KB -> 149 KB) in every DAW tab.
      const msg = raw as ToDaw;
      if (msg?.type === 'daw_command') {
        // The audio hook listens closely while the command waits for the DAW to change.
        document.dispatchEvent(new CustomEvent(AUDIO_QUERY_EVENT));
        // Answered at once; the outcome follows as a report once the DAW was seen to change (or not).
        void adapter.execute(msg.command).then(({ observed, ...outcome }) => send(observed, 'command', outcome));
        return Promise.resolve(true);
      }
      if (msg?.type === 'daw_query') {
        send(adapter.observe(), 'query');
        return Promise.resolve(true);
      }
      if (msg?.type === 'teach') {
        void teach.step(msg.step);
        return Promise.resolve(true);
      }
      return undefined;
    });

    adapter.start();
    send(adapter.observe(), 'hello');
    ctx.onInvalidated(() => {
      hold?.disconnect();
      adapter.stop();
      teach.cancel();
      document.removeEventListener(AUDIO_EVENT, onAudio);
    });
  },
});
