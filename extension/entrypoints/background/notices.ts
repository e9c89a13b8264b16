import { describeDropped, type DroppedEntry } from '../../lib/outbox';
import type { Notice } from '../../lib/messages';

const KEEP = 10;

/** What the panel tells the user about messages that will never arrive: expired ones together, each refusal apart. */
export class Notices {
  #list: Notice[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  get list(): Notice[] {
    return this.#list;
  }

  /** Entries the outbox gave up on; returns whether there is anything new to show. */
  dropped(dropped: readonly DroppedEntry[]): boolean {
    const now = this.now();
    const expired = dropped.filter((d) => d.reason !== 'rejected');
    // Which messages will never arrive, in words the user recognises (the question, the command).
    const what = describeDropped(expired, now)
      .entries.map((e) => e.summary)
      .join(' · ');
    if (expired.length)
      this.#list.push({ id: `n-${now}-e`, kind: 'expired', count: expired.length, detail: what, at: now });
    for (const d of dropped.filter((d) => d.reason === 'rejected'))
      this.#list.push({ id: `n-${now}-${d.entry.id}`, kind: 'rejected', detail: d.detail, at: now });
    this.#list = this.#list.slice(-KEEP);
    return dropped.length > 0;
  }

  dismiss(id: string): void {
    this.#list = this.#list.filter((n) => n.id !== id);
  }
}
