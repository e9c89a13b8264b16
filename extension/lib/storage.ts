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
