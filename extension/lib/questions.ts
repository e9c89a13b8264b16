/**
 * The empty chat's example questions. They are what the user sends, and Codette's server understands English only,
 * so they stay in English in every language (the French panel says so). Each was asked of the real server: each gets a
 * full answer (knowledge, a calculation or a transport command); extension/e2e/panel.e2e.ts asks them again.
 */
export const EXAMPLE_QUESTIONS = [
  'How loud should I master for Spotify?',
  'My kick and bass are clashing. How do I fix it?',
  'How do I de-ess a vocal?',
  'Delay times at 120 BPM',
  'Loop bars 5 to 8',
] as const;

/** What "Ask Codette about this mix" sends with the meter figures (English, like every question the server reads). */
export const ASK_MIX_QUESTION = (target: string) => `How does my mix measure up against ${target} right now?`;
