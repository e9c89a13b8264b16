import { z } from 'zod';
import type { JsonValue } from '../shared/schemas/persistence';
import type { CodetteStore } from './store/types';

/**
 * What is remembered about a client id once its message was applied, per kind of message: the key prefix in the
 * store's applied_client_ids and the schema the stored record must match to be believed.
 */
export interface AppliedKind<T extends JsonValue> {
  prefix: string;
  record: z.ZodType<T>;
}

/** A transport command or a DAW report: only the fact that it was applied (the key is the bare id, as always). */
export const APPLIED_COMMAND: AppliedKind<true> = { prefix: '', record: z.literal(true) };
/** A chat message: where its answer is stored, so that a resend gets that answer again. */
export const APPLIED_CHAT = {
  prefix: 'chat:',
  record: z.object({ session_id: z.string(), message_id: z.string() }),
} satisfies AppliedKind<{ session_id: string; message_id: string }>;

/**
 * "Apply once" for every message with a client id, so that a message resent after a reconnect (the extension's
 * outbox does this) is acknowledged again but applied once, even across a server restart. Ids are kept in memory
 * (bounded) and in the database (expiring after the store's TTL), each with a typed record of what it did.
 *
 * Commands: `claim(id)` before applying (false = a repeat, do not apply); then `commit(id)` once applied, before
 * acknowledging, or `release(id)` when applying failed so that a corrected resend can apply.
 * Answers: `recall(kind, id)` the record of an earlier apply (or null), `remember(kind, id, record)` after one, and
 * `joinFirst(key, ...)` so that copies arriving while the first is being applied wait for it.
 */
export class AppliedIds {
  readonly #expiry = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Pick<CodetteStore, 'lookupClientId' | 'rememberClientId'>,
    private readonly maxEntries = 50_000,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is seen (it is now taken); false for a repeat. */
  async claim(id: string): Promise<boolean> {
    if (!this.#claimInMemory(id)) return false;
    if ((await this.store.lookupClientId(APPLIED_COMMAND.prefix + id)) !== null) return false;
    return true;
  }

  /** Records durably that the id was applied: after this, a restart still knows it. */
  commit(id: string): Promise<void> {
    return this.remember(APPLIED_COMMAND, id, true);
  }

  release(id: string) {
    this.#expiry.delete(id);
  }

  /** The record of an earlier apply of this id, or null when there was none (or what is stored is not one). */
  async recall<T extends JsonValue>(kind: AppliedKind<T>, id: string): Promise<T | null> {
    const stored = await this.store.lookupClientId(kind.prefix + id);
    if (stored === null) return null;
    const parsed = kind.record.safeParse(stored);
    return parsed.success ? parsed.data : null;
  }

  /** Stores what applying this id did; the first record stays if the id is remembered twice. */
  remember<T extends JsonValue>(kind: AppliedKind<T>, id: string, record: T): Promise<void> {
    return this.store.rememberClientId(kind.prefix + id, kind.record.parse(record));
  }

  /**
   * One apply at a time per key. Copies that arrive while the first is being applied (a resend racing the original,
   * the same outbox on two sockets) wait for it and get `asCopy` of its result, so exactly one says "applied now". If
   * the first fails (a locked database...), a waiting copy is a fresh try. Later copies are `recall`'s to recognise.
   */
  joinFirst<T>(key: string, apply: () => Promise<T>, asCopy: (first: T) => T): Promise<T> {
    const first = this.#inFlight.get(key) as Promise<T> | undefined;
    if (first) return first.then(asCopy, () => this.joinFirst(key, apply, asCopy));
    const result = apply();
    this.#inFlight.set(key, result);
    const done = () => this.#inFlight.delete(key);
    result.then(done, done);
    return result;
  }

  #claimInMemory(id: string): boolean {
    const expires = this.#expiry.get(id);
    const now = this.now();
    if (expires !== undefined && expires > now) return false;
    this.#expiry.delete(id);
    this.#expiry.set(id, now + this.ttlMs);
    if (this.#expiry.size > this.maxEntries) {
      // Map keeps insertion order: the first key is the oldest.
      const oldest = this.#expiry.keys().next().value;
      if (oldest !== undefined) this.#expiry.delete(oldest);
    }
    return true;
  }
}
