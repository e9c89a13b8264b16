import type { CodetteStore } from './store/types';

/**
 * Remembers the client ids of messages already applied, so that a message resent after a reconnect (the
 * extension's outbox does this) is acknowledged again but applied once, even across a server restart: ids are
 * kept in memory (bounded) and in the database (expiring after the store's TTL).
 *
 * Use: `claim(id)` before applying (false = a repeat, do not apply); then `commit(id)` once applied, before
 * acknowledging, or `release(id)` when applying failed so that a corrected resend can apply.
 */
export class AppliedIds {
  readonly #expiry = new Map<string, number>();

  constructor(
    private readonly store: Pick<CodetteStore, 'lookupClientId' | 'rememberClientId'>,
    private readonly maxEntries = 50_000,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is seen (it is now taken); false for a repeat. */
  async claim(id: string): Promise<boolean> {
    if (!this.#claimInMemory(id)) return false;
    if ((await this.store.lookupClientId(id)) !== null) return false;
    return true;
  }

  /** Records durably that the id was applied: after this, a restart still knows it. */
  async commit(id: string): Promise<void> {
    await this.store.rememberClientId(id, true);
  }

  release(id: string) {
    this.#expiry.delete(id);
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
