/**
 * The empty chat's example questions, in the panel's language. They are what the user sends; Codette's server
 * answers French in French (structure, commands, calculations; knowledge passages may stay English and say so).
 * Each was asked of the real engine and gets a full answer (knowledge, a calculation or a transport command):
 * server/test/example-questions.test.ts asks every one again, extension/e2e/panel.e2e.ts the English ones in the browser.
 */
export type ExampleLang = 'en' | 'fr';

export const EXAMPLE_QUESTIONS: Record<ExampleLang, readonly string[]> = {
  en: [
    'How loud should I master for Spotify?',
    'My kick and bass are clashing. How do I fix it?',
    'How do I de-ess a vocal?',
    'Delay times at 120 BPM',
    'Loop bars 5 to 8',
  ],
  fr: [
    'À quel volume masteriser pour Spotify ?',
    'Mon kick et ma basse se marchent dessus, comment corriger ?',
    'Comment dé-esser une voix ?',
    'Temps de delay à 120 BPM',
    'Boucle les mesures 5 à 8',
  ],
};

/** The panel's language from the browser's UI language ("fr-CA" -> fr); English otherwise. */
export const exampleLang = (uiLanguage: string | undefined): ExampleLang =>
  uiLanguage?.toLowerCase().startsWith('fr') ? 'fr' : 'en';

/** What "Ask Codette about this mix" sends with the meter figures, in the panel's language. */
export const ASK_MIX_QUESTION = (target: string, lang: ExampleLang = 'en') =>
  lang === 'fr'
    ? `Où en est mon mix par rapport à ${target} en ce moment ?`
    : `How does my mix measure up against ${target} right now?`;
