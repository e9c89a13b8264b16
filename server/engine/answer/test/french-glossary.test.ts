import { describe, expect, it } from 'vitest';
import { frenchGlossaryLine } from '../french-glossary';

describe('the French glossary line under an English passage', () => {
  it('names the passage’s production terms in French', () => {
    const line = frenchGlossaryLine('Dorian mode: minor with a bright natural 6th. Verse and chorus at low latency.');
    expect(line).toMatch(/^_Vocabulaire : /);
    expect(line).toContain('Dorian = dorien');
    expect(line).toContain('verse = couplet');
    expect(line).toContain('latency = latence');
  });

  it('says nothing when there is no term to name', () => {
    expect(frenchGlossaryLine('Nothing here to translate at all.')).toBeUndefined();
  });
});
