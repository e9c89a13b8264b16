import { z } from 'zod';
import type { ErrorCode } from '../schemas/errors';
import { ClientMessage, type ClientMessageInput } from '../schemas/ws';

/** Where the outbox keeps its entries: `storage.local` in the extension, memory (or any store you pass) elsewhere. */
export interface OutboxStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** The part of a browser's `localStorage` (or `sessionStorage`) an outbox needs. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** An outbox kept in `localStorage`: unacknowledged messages survive a reload and are sent again after it. */
export function webStorageOutboxStorage(storage: WebStorageLike): OutboxStorage {
  return {
    get: async (key) => {
      const text = storage.getItem(key);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined; // not ours, or cut short: the outbox starts empty
      }
    },
    set: async (key, value) => storage.setItem(key, JSON.stringify(value)),
  };
}

/** An outbox storage that lives as long as the page or process: enough for a web DAW that reconnects. */
export function memoryOutboxStorage(): OutboxStorage {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
  };
}

/** The messages the user sends that must arrive exactly once: chat, transport commands, feedback. */
export type OutboxKind = 'chat' | 'transport' | 'feedback';
export type OutboxMessage = Extract<ClientMessageInput, { type: OutboxKind }> & { id: string };

export interface OutboxEntry {
  id: string;
  message: OutboxMessage;
  createdAt: number;
  /** Why the server could not take it the last time (`locked: ...`): it is kept and sent again with backoff. */
  waiting?: string;
}

export interface OutboxLimits {
  maxEntries: number;
  /** The age after which an entry expires, per kind: a play command an hour late is worse than none. */
  maxAgeMs: Record<OutboxKind, number>;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  maxEntries: 200,
  maxAgeMs: { transport: 2 * 60_000, chat: 7 * 24 * 3_600_000, feedback: 7 * 24 * 3_600_000 },
};

/**
 * Why an entry left the outbox without an ack. `rejected`: the server refused it for good (validation). `expired`
 * and `overflow` are where the outbox is at most once by design: an entry too old for its kind, or the oldest past
 * 200 entries, is given up on, and the user is told which (describeDropped).
 */
export type DropReason = 'expired' | 'overflow' | 'rejected';
export interface DroppedEntry {
  entry: OutboxEntry;
  reason: DropReason;
  /** The server's message for a rejected entry. */
  detail?: string;
  /** The server's code for a rejected entry. */
  code?: ErrorCode;
}

export const OUTBOX_STORAGE_KEY = 'codette.outbox.v1';

const StoredEntry = z.object({
  id: z.string().min(1),
  message: z.unknown(),
  createdAt: z.number(),
  waiting: z.string().optional(),
});

/**
 * The outbox: every entry is written to storage before it may be sent, and removed only when the server
 * acknowledges its id. Writes are serialised, so the stored order is the order of `add`.
 */
export class Outbox {
  #entries: OutboxEntry[] = [];
  #writing: Promise<void> = Promise.resolve();
  #listeners = new Set<(entries: readonly OutboxEntry[]) => void>();
  /** Ids whose entry is known to be in storage: only those may be sent. */
  #durable = new Set<string>();

  constructor(
    private readonly store: OutboxStorage,
    private readonly now: () => number = Date.now,
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
  ) {}

  /** Reads what a previous worker or browser session left; entries that no longer parse are dropped. */
  async load(): Promise<void> {
    const raw = await this.store.get(OUTBOX_STORAGE_KEY);
    const list = Array.isArray(raw) ? raw : [];
    const entries: OutboxEntry[] = [];
    for (const item of list) {
      const stored = StoredEntry.safeParse(item);
      if (!stored.success) continue;
      const message = ClientMessage.safeParse(stored.data.message);
      if (!message.success || !isOutboxKind(message.data.type)) continue;
      entries.push({ ...stored.data, message: stored.data.message as OutboxMessage });
    }
    this.#entries = entries;
    this.#durable = new Set(entries.map((e) => e.id));
    this.#emit();
  }

  isDurable(id: string): boolean {
    return this.#durable.has(id);
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  get size(): number {
    return this.#entries.length;
  }

  has(id: string): boolean {
    return this.#entries.some((e) => e.id === id);
  }

  onChange(listener: (entries: readonly OutboxEntry[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores the message (resolves once written); over the count bound, the oldest entries are dropped and returned. */
  async add(message: OutboxMessage): Promise<DroppedEntry[]> {
    const parsed = ClientMessage.safeParse(message);
    if (!parsed.success)
      throw new Error(`not a valid ${message.type} message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    if (this.has(message.id)) return [];
    this.#entries.push({ id: message.id, message, createdAt: this.now() });
    const dropped: DroppedEntry[] = [];
    while (this.#entries.length > this.limits.maxEntries) {
      const entry = this.#entries.shift();
      if (entry) dropped.push({ entry, reason: 'overflow' });
    }
    await this.#persist();
    return dropped;
  }

  /** The server acknowledged this id: it was applied (now or before), so it leaves the outbox. */
  async ack(id: string): Promise<OutboxEntry | undefined> {
    return this.remove(id);
  }

  async remove(id: string): Promise<OutboxEntry | undefined> {
    const i = this.#entries.findIndex((e) => e.id === id);
    if (i < 0) return undefined;
    const [entry] = this.#entries.splice(i, 1);
    this.#durable.delete(id);
    await this.#persist();
    return entry;
  }

  async markWaiting(id: string, why: string): Promise<void> {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry || entry.waiting === why) return;
    entry.waiting = why;
    await this.#persist();
  }

  /** Removes the entries older than their kind allows, and returns them so that the user can be told. */
  async expire(): Promise<DroppedEntry[]> {
    const now = this.now();
    const dropped: DroppedEntry[] = [];
    this.#entries = this.#entries.filter((entry) => {
      const old = now - entry.createdAt > this.limits.maxAgeMs[entry.message.type];
      if (old) dropped.push({ entry, reason: 'expired' });
      return !old;
    });
    if (dropped.length) await this.#persist();
    return dropped;
  }

  /** Resolves when every change so far is in storage. */
  flushed(): Promise<void> {
    return this.#writing;
  }

  #persist(): Promise<void> {
    const snapshot = this.#entries.map((e) => ({ ...e }));
    this.#emit();
    const write = async () => {
      await this.store.set(OUTBOX_STORAGE_KEY, snapshot);
      for (const e of snapshot) this.#durable.add(e.id);
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }

  #emit() {
    for (const l of this.#listeners) l(this.#entries);
  }
}

/** What the panel shows about entries that will never arrive: which ones, and why. */
export interface OutboxDropEvent {
  type: 'outbox_dropped';
  at: number;
  entries: Array<{
    id: string;
    kind: OutboxKind;
    reason: DropReason;
    createdAt: number;
    summary: string;
    detail?: string;
  }>;
}

export function describeDropped(dropped: readonly DroppedEntry[], at: number): OutboxDropEvent {
  return {
    type: 'outbox_dropped',
    at,
    entries: dropped.map(({ entry, reason, detail }) => ({
      id: entry.id,
      kind: entry.message.type,
      reason,
      createdAt: entry.createdAt,
      summary: summaryOf(entry.message),
      ...(detail === undefined ? {} : { detail }),
    })),
  };
}

/** A few words that let the user recognise the message: the question, the command, the rating. */
function summaryOf(message: OutboxMessage): string {
  switch (message.type) {
    case 'chat':
      return message.request.message.length > 80 ? `${message.request.message.slice(0, 79)}…` : message.request.message;
    case 'transport': {
      const { action, ...rest } = message.command;
      const values = Object.values(rest).filter(
        (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean',
      );
      return [action, ...values.map(String)].join(' ');
    }
    case 'feedback':
      return `feedback ${message.feedback.rating}`;
  }
}

export function isOutboxKind(type: string): type is OutboxKind {
  return type === 'chat' || type === 'transport' || type === 'feedback';
}
