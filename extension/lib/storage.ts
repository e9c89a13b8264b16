/** The little of storage.local the background needs, so that tests can give a map and the extension `browser.storage.local`. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface StorageAreaLike {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export function storageAreaStore(area: StorageAreaLike): KeyValueStore {
  return {
    async get(key) {
      const items = await area.get(key);
      return items[key];
    },
    set(key, value) {
      return area.set({ [key]: value });
    },
  };
}

export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(key) {
      return data[key] === undefined ? undefined : structuredClone(data[key]);
    },
    async set(key, value) {
      data[key] = structuredClone(value);
    },
  };
}

/**
 * A store whose writes made in the same turn go to storage.local as one `set` (one write of several keys): the
 * question's chat and its outbox entry, or the reply and the outbox entry's removal. Each `set` resolves once that
 * write is done, so "resolved" still means "stored". Reads see the writes still waiting.
 */
export function batchedStore(
  area: StorageAreaLike,
  nextTurn: (fn: () => void) => void = (fn) => void setTimeout(fn, 0),
): KeyValueStore {
  let waiting: { items: Record<string, unknown>; done: Promise<void> } | null = null;
  return {
    async get(key) {
      if (waiting && key in waiting.items) return waiting.items[key];
      const items = await area.get(key);
      return items[key];
    },
    set(key, value) {
      if (!waiting) {
        const items: Record<string, unknown> = {};
        const done = new Promise<void>((resolve) => nextTurn(resolve)).then(() => {
          waiting = null;
          return area.set(items);
        });
        waiting = { items, done };
      }
      waiting.items[key] = value;
      return waiting.done;
    },
  };
}
