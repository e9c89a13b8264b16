import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { KeyValueStore } from '../lib/storage';

/** Every open/closed choice of the panel (meters, history, sources), kept in storage.local so that it survives a reopen. */
export const LAYOUT_KEY = 'codette.layout.v1';

/** The panel's sections that open and close, and how they start before the reader chooses. */
export const SECTION_DEFAULTS = { meters: false, history: false, sources: false } as const;
export type Section = keyof typeof SECTION_DEFAULTS;

export const useLayoutStore = defineStore('layout', () => {
  const open = ref<Record<Section, boolean>>({ ...SECTION_DEFAULTS });
  let storage: KeyValueStore | null = null;
  /** A choice made before the saved layout was read wins over it. */
  const touched = new Set<Section>();

  async function load(store: KeyValueStore): Promise<void> {
    storage = store;
    const saved = (await store.get(LAYOUT_KEY).catch(() => undefined)) as Partial<Record<Section, unknown>> | undefined;
    if (!saved || typeof saved !== 'object') return;
    const next = { ...open.value };
    for (const k of Object.keys(SECTION_DEFAULTS) as Section[])
      if (typeof saved[k] === 'boolean' && !touched.has(k)) next[k] = saved[k] as boolean;
    open.value = next;
  }

  function set(section: Section, value: boolean): void {
    touched.add(section);
    open.value = { ...open.value, [section]: value };
    void storage?.set(LAYOUT_KEY, { ...open.value }).catch(() => undefined);
  }

  return { open, load, set, toggle: (section: Section) => set(section, !open.value[section]) };
});
