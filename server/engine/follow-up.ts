import { contentTerms, stem } from './retrieval/terms';

const FOLLOW_UP_START = /^(?:and|or|also|what about|how about|same for|same thing for|same with|and for|and on|and with|what if|then)\b/i;

/** True for a message that only makes sense after the previous question ("and on vocals?", "what about the snare?"). */
export function isFollowUp(message: string): boolean {
  const words = message.trim().split(/\s+/).length;
  return FOLLOW_UP_START.test(message.trim()) && words <= 8;
}

/**
 * The question a follow-up really asks: the previous question with the new subject swapped in. "How should I
 * compress a kick?" then "and on vocals?" searches "compress vocals". Subject words are those of knowledge topics.
 */
export function resolveFollowUp(previous: string, followUp: string, subjectStems: ReadonlySet<string>): string {
  const added = contentTerms(followUp.replace(FOLLOW_UP_START, ''));
  const newSubject = added.some((t) => subjectStems.has(t));
  const kept = previous
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu)
    ?.filter((w) => !(newSubject && subjectStems.has(stem(w)))) ?? [];
  return `${kept.join(' ')} ${followUp.replace(FOLLOW_UP_START, '').trim()}`.trim();
}
