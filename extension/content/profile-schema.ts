import { z } from 'zod';
import { CONTROL_NAMES, KEY_ACTIONS, STATE_NAMES } from './profile-names';

/** The zod schema of site profiles (options page and background); the content script imports the types only. */
const StateRule = z.object({
  selector: z.string().min(1),
  /** The attribute to read; its value must equal `value` (or be "true" when no value is given). */
  attribute: z.string().optional(),
  value: z.string().optional(),
  /** Or: the element has this class when on. */
  className: z.string().optional(),
  /** Or: the element exists (and is visible) when on. */
  present: z.boolean().optional(),
});
export type StateRule = z.infer<typeof StateRule>;

/** "Space", "Enter", "r", "Shift+R", "Ctrl+L". */
const KeySpec = z.string().min(1).max(40);

export const SiteProfile = z.object({
  /** An origin ("https://studio.example.com") or a pattern with * ("https://*.example.com"). */
  match: z.string().min(1),
  name: z.string().max(80).optional(),
  /** Built-in profiles only: the app's page title contains this (a self-hosted copy runs on any origin). */
  title: z.string().min(3).max(80).optional(),
  /** How the profile was made: written by hand, or taught in the page (see teach mode). */
  taught: z.boolean().optional(),
  selectors: z.partialRecord(z.enum(CONTROL_NAMES), z.string().min(1)).optional(),
  state: z.partialRecord(z.enum(STATE_NAMES), StateRule).optional(),
  keys: z.partialRecord(z.enum(KEY_ACTIONS), KeySpec).optional(),
  /** Taught: how long (ms) the app took from its play control to showing that it plays (a song rendered first). */
  reactMs: z.number().int().min(0).max(30_000).optional(),
});
export type SiteProfile = z.infer<typeof SiteProfile>;
export const SiteProfiles = z.array(SiteProfile).max(200);
