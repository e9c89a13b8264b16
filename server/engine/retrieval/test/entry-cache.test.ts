import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../../../shared/schemas/knowledge';
import { followUpIndex } from '../../answer/knowledge-answer';
import { entryFacets } from '../rank';

const entry = (over: Partial<KnowledgeEntry> = {}): KnowledgeEntry => ({
  id: 'test.snare-eq',
  title: 'EQ for a snare',
  category: 'eq',
  topic: 'snare',
  body: 'When the snare sounds muddy, cut around 400 Hz.',
  parameters: {},
  tags: ['snare', 'eq'],
  ...over,
});

describe('per-entry values are computed once and follow the entry', () => {
  it('gives the same facets to the entry and to a search hit over the same texts', () => {
    const e = entry();
    const first = entryFacets(e);
    expect(entryFacets(e)).toBe(first);
    // A hit is a new object over the same texts (copies of the strings here): no second computation.
    const hit = { ...e, title: [...e.title].join(''), body: [...e.body].join(''), tags: [...e.tags], score: 1 };
    expect(entryFacets(hit)).toBe(first);
    expect([...first.subject]).toEqual(['snare']);
    expect(first.process.has('eq')).toBe(true);
    expect([...first.bodyProblem]).toEqual(['muddy']);
  });

  it('computes again when a text of the entry changed, even to one of the same length', () => {
    const before = entryFacets(entry({ id: 'test.changing' }));
    expect([...before.bodyProblem]).toEqual(['muddy']);
    // "muddy" -> "harsh": same length (a cache keyed on the body's length kept the old facets).
    const after = entryFacets(entry({ id: 'test.changing', body: 'When the snare sounds harsh, cut around 400 Hz.' }));
    expect([...after.bodyProblem]).toEqual(['harsh']);
    const retagged = entryFacets(entry({ id: 'test.changing', tags: ['kick', 'eq'], title: 'EQ', topic: 'tone' }));
    expect([...retagged.subject]).toEqual(['kick']);
  });

  it('indexes the knowledge by subject and process once per knowledge list', () => {
    const list = [
      entry(),
      entry({ id: 'test.snare-comp', title: 'Compressing a snare', category: 'compression', tags: ['snare'] }),
      entry({ id: 'test.kick-comp', title: 'Compressing a kick', category: 'compression', topic: 'kick', tags: [] }),
    ];
    const index = followUpIndex(list);
    expect(followUpIndex(list)).toBe(index);
    expect(index.get('snare eq')?.map((e) => e.id)).toEqual(['test.snare-eq']);
    expect(index.get('snare compression')?.map((e) => e.id)).toEqual(['test.snare-comp']);
    expect(index.get('kick compression')?.map((e) => e.id)).toEqual(['test.kick-comp']);
    expect(index.get('kick eq')).toBeUndefined();
  });
});
