import type { Perspective } from '../../../shared/schemas/chat';
import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import { parameterLines } from './parameters';

export interface ComposedAnswer {
  markdown: string;
  follow_ups: string[];
}

/** Below this coverage the best entry does not really answer the question: Codette says so. */
export const WEAK_MATCH = 0.34;

const sentences = (text: string) => text.replace(/\n+/g, ' ').match(/[^.!?]+[.!?]+/g)?.map((s) => s.trim()) ?? [text];
const bulletItems = (text: string) => text.split('\n').filter((l) => /^\s*[-*\d]+[.)]?\s+/.test(l)).map((l) => l.replace(/^\s*[-*\d]+[.)]?\s+/, ''));

/** What each perspective stresses, made from the entries themselves. */
const EMPHASIS: Record<Perspective, (top: KnowledgeHit, others: KnowledgeHit[]) => string | undefined> = {
  mix_engineering: (top) => {
    const lines = parameterLines(top.parameters);
    return lines.length ? `**Settings to start from**\n${lines.join('\n')}` : undefined;
  },
  audio_theory: (top) => {
    const why = sentences(top.body).filter((s) => /\b(because|so that|which|means|since|the reason|causes?)\b/i.test(s));
    const lines = parameterLines(top.parameters, 5);
    const parts = [why.length ? `**Why it works:** ${why.slice(0, 2).join(' ')}` : '', lines.length ? lines.join('\n') : ''].filter(Boolean);
    return parts.length ? parts.join('\n\n') : undefined;
  },
  creative_production: (_top, others) => {
    const ideas = others.map((h) => `- **${h.title}**: ${sentences(h.body)[0]}`);
    return ideas.length ? `**Ideas to try next**\n${ideas.join('\n')}` : undefined;
  },
  technical_troubleshooting: (top) => {
    const steps = bulletItems(top.body);
    const list = (steps.length ? steps : sentences(top.body).slice(0, 4)).map((s, i) => `${i + 1}. ${s}`);
    return `**Check in this order**\n${list.join('\n')}`;
  },
  workflow_optimization: (top, others) => {
    const habits = [top, ...others].map((h) => `- ${sentences(h.body)[0]}`);
    return `**Make it a habit**\n${habits.join('\n')}`;
  },
};

function followUps(top: KnowledgeHit, others: KnowledgeHit[]): string[] {
  const out = others.map((h) => h.title);
  if (top.category === 'eq') out.push(`How should I compress the ${top.topic}?`);
  if (top.category === 'compression') out.push(`How should I EQ the ${top.topic}?`);
  if (top.category === 'mastering') out.push('Is my master loud enough for Spotify?');
  return out.slice(0, 3);
}

/**
 * The local engine's answer: the best entry's advice, what the chosen perspective stresses, and the other
 * entries as related reading, each cited. When the match is weak it says so instead of pretending.
 */
export function composeAnswer(hits: KnowledgeHit[], coverage: number, perspective: Perspective): ComposedAnswer {
  const [top, ...others] = hits;
  if (!top || coverage < WEAK_MATCH) {
    const near = hits.map((h) => `- ${h.title}`).join('\n');
    return {
      markdown:
        "I don't have a grounded answer to that in my knowledge base. " +
        (near ? `The closest topics I know are:\n${near}\n\nAsk about one of them, or rephrase with the instrument and the problem (e.g. "vocal sounds harsh at 3 kHz").` : 'Try naming the instrument and the problem, e.g. "kick and bass clash".'),
      follow_ups: hits.slice(0, 2).map((h) => h.title),
    };
  }
  const emphasis = EMPHASIS[perspective](top, others);
  const related = others.length ? `**Related:** ${others.map((h) => h.title).join(' · ')}` : '';
  const markdown = [`### ${top.title}`, top.body.trim(), emphasis, related].filter(Boolean).join('\n\n');
  return { markdown, follow_ups: followUps(top, others) };
}
