import type { SiteProfile } from './profile-schema';

/**
 * Built in: only what their public shortcut lists document (Space for play/pause is common to all). Selectors are left
 * to the generic adapter: these apps change their markup often, and a stale selector is worse than a good guess.
 */
export const BUILTIN_PROFILES: SiteProfile[] = [
  { match: 'https://www.bandlab.com', name: 'BandLab Studio', keys: { playpause: 'Space', record: 'r' } },
  { match: 'https://www.soundtrap.com', name: 'Soundtrap', keys: { playpause: 'Space', record: 'r' } },
  { match: 'https://soundation.com', name: 'Soundation', keys: { playpause: 'Space' } },
  { match: 'https://www.audiotool.com', name: 'Audiotool', keys: { playpause: 'Space' } },
  { match: 'https://app.ampedstudio.com', name: 'Amped Studio', keys: { playpause: 'Space' } },
  { match: 'https://www.onlinesequencer.net', name: 'Online Sequencer', keys: { playpause: 'Space' } },
  // Drawn on a canvas, no DOM controls: Enter starts and stops the song; Space there switches record (edit) mode, so the
  // common Space must never be sent to it. Self-hosted copies run anywhere, hence the title.
  { match: 'https://www.stef.be', title: 'BassoonTracker', name: 'BassoonTracker', keys: { playpause: 'Enter' } },
];
