import { describe, expect, it } from 'vitest';
import { readKnowledge } from '../../../store/open';
import { loadEngineData } from '../../engine';
import { checkDomain } from '../domain';
import { facetsOf } from '../facets';
import { searchText } from '../question-text';

const engine = loadEngineData(readKnowledge() ?? []);
const inDomain = (question: string) => {
  const text = searchText(question, 'en', engine.vocabulary);
  return checkDomain(text, facetsOf(text), engine.domainTerms, question).inDomain;
};

describe('the domain check', () => {
  it('keeps music questions that name one thing the knowledge is about, without production jargon', () => {
    for (const q of [
      'how to write a bridge',
      'how long should an intro be',
      'what is a plate',
      'how to make a riser',
      'what is a one shot',
      'how do i get my beats to knock',
      'what is phase cancellation',
      'how do i soundproof my room',
      'should i use a distributor',
    ])
      expect(inDomain(q), q).toBe(true);
  });

  it('declines other fields, also when they borrow a music word', () => {
    for (const q of [
      'how do i compress a zip file on windows',
      'how do i make my kick stronger in football',
      'is my resting heart rate of 120 bpm normal',
      'who won the world cup in 2018',
      'what should i eat before a run',
      'how to reduce noise from my neighbours',
      'best recipe for banana bread?',
      'how do i lose belly fat',
    ])
      expect(inDomain(q), q).toBe(false);
  });
});
