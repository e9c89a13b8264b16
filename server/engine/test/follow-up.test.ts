import { describe, expect, it } from 'vitest';
import { isFollowUp, resolveConversation } from '../follow-up';

describe('follow-up questions', () => {
  it('swap the key and keep its mode: "relative minor of C major" then "and of G?"', () => {
    expect(resolveConversation(['relative minor of C major'], 'and of G?')).toBe('relative minor of G major');
    expect(resolveConversation(['chords in the key of C major'], 'what about G')).toMatch(/\bG major\b/);
  });

  it('take longer questions that point back as follow-ups: "what mic should I use for that"', () => {
    expect(isFollowUp('what mic should i use for that')).toBe(true);
    expect(isFollowUp('how do i make it more bright')).toBe(true);
    expect(resolveConversation(['how do i record vocals at home'], 'what mic should i use for that')).toMatch(/vocals/);
    expect(isFollowUp('what mic should i use for recording a podcast')).toBe(false);
  });
});
