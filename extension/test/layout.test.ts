import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../lib/storage';
import { LAYOUT_KEY, useLayoutStore } from '../stores/layout';

describe('the panel remembers every open/closed choice', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts with the meters folded, keeps each choice in storage, and a new panel opens as it was left', async () => {
    const storage = memoryStore();
    const first = useLayoutStore();
    await first.load(storage);
    expect(first.open).toEqual({ meters: false, history: false, sources: false });
    first.toggle('meters');
    first.set('sources', true);
    await Promise.resolve();
    expect(storage.data[LAYOUT_KEY]).toEqual({ meters: true, history: false, sources: true });

    setActivePinia(createPinia());
    const reopened = useLayoutStore();
    await reopened.load(storage);
    expect(reopened.open).toEqual({ meters: true, history: false, sources: true });
  });

  it('a choice made while the saved layout is still loading wins over it; junk in storage is ignored', async () => {
    const storage = memoryStore({ [LAYOUT_KEY]: { meters: true, history: 'yes' } });
    const layout = useLayoutStore();
    const loading = layout.load(storage);
    layout.set('meters', false);
    await loading;
    expect(layout.open).toEqual({ meters: false, history: false, sources: false });
  });
});
