import type { DawContext, Perspective } from '../../../shared/schemas/chat';
import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import type { LlmMessage } from './openai-compatible';

const STRESS: Record<Perspective, string> = {
  mix_engineering: 'Give concrete settings (frequencies, ratios, times, levels) first.',
  audio_theory: 'Explain why it works, the acoustics or theory behind it.',
  creative_production: 'Offer ideas and variations to try.',
  technical_troubleshooting: 'Give numbered steps to find and fix the cause.',
  workflow_optimization: 'Focus on habits and faster ways of working.',
};

/** The model gets the retrieved entries, the DAW context and the mix review, and is told to stay within them. */
export function groundedPrompt(
  question: string,
  hits: KnowledgeHit[],
  perspective: Perspective,
  daw?: DawContext,
  review?: string,
): LlmMessage[] {
  const knowledge = hits
    .map((h) => `[${h.id}] ${h.title}\n${h.body}\nParameters: ${JSON.stringify(h.parameters)}`)
    .join('\n\n');
  const system = [
    "You are Codette, a music production assistant beside the user's web DAW. Answer in concise markdown.",
    'Ground every claim in the knowledge entries below and cite them by id in square brackets. If they do not cover the question, say so.',
    STRESS[perspective],
    knowledge ? `Knowledge entries:\n${knowledge}` : 'No knowledge entry matched the question.',
    daw ? `DAW context: ${JSON.stringify(daw)}` : '',
    review ? `Measured review of the current mix:\n${review}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: question },
  ];
}
