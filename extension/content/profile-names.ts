/** The names a site profile uses (controls, keyed actions, state), apart so that the schema and the profiles share them. */
export const CONTROL_NAMES = ['play', 'pause', 'playpause', 'stop', 'record', 'loop', 'metronome', 'tempo'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];
export const KEY_ACTIONS = ['playpause', 'stop', 'record', 'loop', 'metronome'] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];
export const STATE_NAMES = ['playing', 'recording', 'loop', 'metronome'] as const;
export type StateName = (typeof STATE_NAMES)[number];
