import { installAudioHook } from '../../content/audio-hook';
import { DAW_MATCHES } from '../../content/matches';

/** The page-world hook on AudioContext: tells the content script whether sound is playing (canvas-only apps). */
export default defineContentScript({
  matches: DAW_MATCHES,
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: false,
  main() {
    installAudioHook(window);
  },
});
