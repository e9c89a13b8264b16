import { isDefinitiveRefusal, type ErrorCode } from '../../schemas/errors';
import { backoffDelay, type BackoffOptions } from '../backoff';
import type { DroppedEntry, Outbox } from '../outbox';
import type { Clock, TimerHandle } from './types';

export interface DeliveryDeps {
  outbox: Outbox;
  clock: Clock;
  random: () => number;
  ackTimeoutMs: number;
  resendBackoff: BackoffOptions;
  onDropped?: (dropped: DroppedEntry[]) => void;
}

/**
 * Sends the outbox over one connection at a time, in order, each entry until its id is acknowledged: again after a
 * transient error (with growing jittered delays), again when no answer came in time, never again once refused for good.
 * The server applies an id once, so a resend is harmless: delivery is exactly once by id.
 */
export class OutboxDelivery {
  readonly #d: DeliveryDeps;
  #send: ((data: string) => void) | null = null;
  #generation = 0;
  #sent = new Set<string>();
  /** Per entry: how often the server could not take it, and the timer that sends it again. */
  #tries = new Map<string, number>();
  #timers = new Map<string, TimerHandle>();

  constructor(deps: DeliveryDeps) {
    this.#d = deps;
  }

  /** A connection is ready: everything not yet acknowledged is sent on it. */
  attach(send: (data: string) => void): void {
    this.detach();
    this.#send = send;
    this.#sent.clear();
  }

  /** The connection is gone: pending resends wait for the next one, which sends everything again anyway. */
  detach(): void {
    this.#generation++;
    this.#send = null;
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id);
  }

  /** Sends, in order, every stored entry not yet sent on this connection. */
  flush(): void {
    const send = this.#send;
    if (!send) return;
    const { outbox, clock, ackTimeoutMs } = this.#d;
    for (const entry of outbox.entries) {
      if (!outbox.isDurable(entry.id)) break; // never send what is not yet in storage
      if (this.#sent.has(entry.id) || this.#timers.has(entry.id)) continue;
      this.#sent.add(entry.id);
      send(JSON.stringify(entry.message));
      // No answer in time (a server stuck on a locked database, a lost message): the entry is sent again.
      this.#timers.set(
        entry.id,
        clock.setTimeout(() => this.#resendLater(entry.id, 0), ackTimeoutMs),
      );
    }
  }

  acked(id: string): void {
    this.#forget(id);
    void this.#d.outbox.ack(id);
  }

  /** The server answered this id with an error: dropped and reported when final, sent again later when transient. */
  failed(id: string, code: ErrorCode, message: string): void {
    const { outbox, onDropped } = this.#d;
    if (!outbox.has(id)) return;
    const detail = `${code}: ${message}`;
    if (isDefinitiveRefusal(code)) {
      // Sending it again would be refused again: it leaves the outbox, and the user is told.
      this.#forget(id);
      const entry = outbox.entries.find((e) => e.id === id);
      void outbox.remove(id);
      if (entry) onDropped?.([{ entry, reason: 'rejected', detail, code }]);
    } else {
      void outbox.markWaiting(id, detail);
      this.#resendLater(id);
    }
  }

  #resendLater(id: string, delay?: number): void {
    this.#clearTimer(id);
    const tries = this.#tries.get(id) ?? 0;
    this.#tries.set(id, tries + 1);
    const wait = delay ?? Math.max(100, backoffDelay(tries, this.#d.random, this.#d.resendBackoff));
    const generation = this.#generation;
    this.#timers.set(
      id,
      this.#d.clock.setTimeout(() => {
        this.#timers.delete(id);
        if (generation !== this.#generation) return;
        this.#sent.delete(id);
        this.flush();
      }, wait),
    );
  }

  #clearTimer(id: string): void {
    const timer = this.#timers.get(id);
    if (timer !== undefined) this.#d.clock.clearTimeout(timer);
    this.#timers.delete(id);
  }

  /** The entry is settled (acked or refused): no more tries; the same id enqueued again is sent again. */
  #forget(id: string): void {
    this.#clearTimer(id);
    this.#tries.delete(id);
    this.#sent.delete(id);
  }
}
