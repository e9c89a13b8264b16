/**
 * Remembers the client ids of messages already applied, so that a message resent after a reconnect (the
 * extension's outbox does this) is acknowledged again but applied once. Bounded in count and age.
 */
export class AppliedIds {
  readonly #expiry = new Map<string, number>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is seen (and it is now taken); false for a repeat. */
  claim(id: string): boolean {
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

  /** Gives an id back when applying it failed, so that a corrected resend can apply. */
  release(id: string) {
    this.#expiry.delete(id);
  }

  get size(): number {
    return this.#expiry.size;
  }
}
