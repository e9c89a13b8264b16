/** What Codette says when a question is outside music production or beyond its knowledge: what it can do instead. */
import type { ChatResponse } from '../../../shared/schemas/chat';
import type { Lang } from '../understand/language';

const DECLINE_EN =
  'That\'s outside what I can help with: I\'m a music-production assistant. I can help with mixing and mastering (EQ, compression, reverb, loudness per platform), recording, arrangement, sound design, theory and rhythm maths, web DAWs, and I can drive your DAW\'s transport ("loop bars 5 to 8", "tempo 128").';
const DECLINE_FR =
  "Cela sort de ce que je peux faire : je suis une assistante de production musicale. Je peux t'aider pour le mixage et le mastering (EQ, compression, réverbe, sonie selon la plateforme), l'enregistrement, l'arrangement, le sound design, la théorie et les calculs de tempo, les DAW en ligne, et je pilote le transport de ton DAW (« boucle les mesures 5 à 8 », « tempo 128 »).";

const UNSURE_EN = "I don't have a grounded answer to that in my knowledge base.";
const UNSURE_FR = "Je n'ai pas de réponse fiable à cela dans ma base de connaissances.";

/** Off-topic: a plain no and what Codette can help with instead. */
export function declineMarkdown(lang: Lang): string {
  return lang === 'fr' ? DECLINE_FR : DECLINE_EN;
}

/** In the domain but not in the knowledge: say so, offer the nearest topics as questions the user may click. */
export function unsureMarkdown(lang: Lang, near: string[]): string {
  const head = lang === 'fr' ? UNSURE_FR : UNSURE_EN;
  if (!near.length)
    return `${head} ${lang === 'fr' ? "Précise l'instrument et le problème, par exemple « la voix est dure vers 3 kHz »." : 'Name the instrument and the problem, e.g. "vocal sounds harsh at 3 kHz".'}`;
  return `${head} ${lang === 'fr' ? 'Les sujets les plus proches que je connais :' : 'The closest topics I know:'}\n${near.map((t) => `- ${t}`).join('\n')}`;
}

/** Buttons after a decline: things Codette does well. */
export function declineFollowUps(lang: Lang): string[] {
  return lang === 'fr'
    ? ['Que sais-tu faire ?', 'Comment compresser une voix ?', 'Boucle les mesures 1 à 4']
    : ['What can you do?', 'How do I compress vocals?', 'Loop bars 1 to 4'];
}

const DECLINE_MARK = /^(?:That's outside what I can help with|Cela sort de ce que je peux faire)/;

/** True for a reply that declines: nothing cited, nothing done, and the decline's words. */
export function isDecline(reply: Pick<ChatResponse, 'response' | 'sources' | 'actions'>): boolean {
  return reply.sources.length === 0 && reply.actions.length === 0 && DECLINE_MARK.test(reply.response.trim());
}
