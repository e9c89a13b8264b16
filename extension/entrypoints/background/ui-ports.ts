import { FromUi } from '../../../shared/schemas/extension';
import type { ToUi, UiSnapshot } from '../../lib/messages';

/** The little of a runtime port the background uses (a browser Port, or a fake in tests). */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

/**
 * The open panels, popups and options pages (UI_PORT): what they send is parsed (FromUi) before anything acts on it,
 * what the background tells them goes to all, and state changes reach them as one snapshot per turn however many
 * changes the turn made.
 */
export class UiPorts {
  readonly #ports = new Set<PortLike>();
  #pushQueued = false;
  /** Messages that did not parse (a page of another version, a bug): dropped, counted for tests and diagnostics. */
  refused = 0;

  constructor(
    private readonly snapshot: () => UiSnapshot,
    private readonly onMessage: (message: FromUi, port: PortLike) => void,
    private readonly queue: (fn: () => void) => void = (fn) => queueMicrotask(fn),
  ) {}

  get size(): number {
    return this.#ports.size;
  }

  /** A page connected: it gets the current snapshot at once. */
  add(port: PortLike): void {
    this.#ports.add(port);
    port.onDisconnect.addListener(() => this.#ports.delete(port));
    port.onMessage.addListener((raw) => {
      const parsed = FromUi.safeParse(raw);
      if (parsed.success) this.onMessage(parsed.data, port);
      else this.refused += 1;
    });
    port.postMessage({ type: 'snapshot', snapshot: this.snapshot() } satisfies ToUi);
  }

  post(message: ToUi): void {
    for (const port of this.#ports) {
      try {
        port.postMessage(message);
      } catch {
        this.#ports.delete(port); // closed without a disconnect event
      }
    }
  }

  /** Something the snapshot shows changed: every page gets the new snapshot, once per turn. */
  push(): void {
    if (this.#pushQueued) return;
    this.#pushQueued = true;
    this.queue(() => {
      this.#pushQueued = false;
      this.post({ type: 'snapshot', snapshot: this.snapshot() });
    });
  }
}
