import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AccessDecision, AccessEvent, AccessList, OriginAccess, PendingAccess } from '../../shared/api/access';
import { ApiError } from '../http/errors';
import { readDecisions, writeDecisions } from './decisions-file';

const ACCESS_FILE = 'web-access.json';

export interface WebAccessLimits {
  /** How long a request waits for the user before it expires. */
  pendingMs: number;
  /** New prompts one origin may cause per window (joining its pending request is free). */
  promptsPerWindow: number;
  windowMs: number;
  /** Requests of all origins waiting at once: more would bury the one the user expects under noise. */
  maxPending: number;
}

export const DEFAULT_ACCESS_LIMITS: WebAccessLimits = {
  pendingMs: 120_000,
  promptsPerWindow: 3,
  windowMs: 10 * 60_000,
  maxPending: 5,
};

/** How a request ends for the page waiting on it. */
export type Settlement = 'allowed' | 'denied' | 'expired';

interface Pending {
  request: PendingAccess;
  settled: Promise<Settlement>;
  settle(outcome: Settlement): void;
  timer: NodeJS.Timeout;
}

export type AccessAsk =
  { status: AccessDecision } | { status: 'pending'; request: PendingAccess; settled: Promise<Settlement> };

/**
 * Which web origins the user let use Codette, and the requests waiting for their click. A page never gets access by
 * itself: only `decide` (the extension, on the user's click, or a local tool) changes a decision. One request per
 * origin waits at a time, each origin may prompt only a few times per window, and a request expires unanswered.
 * Decisions are kept in the data directory, like the extension pairing.
 */
export class WebAccess {
  readonly #decisions: Map<string, OriginAccess>;
  readonly #pending = new Map<string, Pending>();
  /** When each origin last caused a prompt (within the window). */
  readonly #prompts = new Map<string, number[]>();
  readonly #listeners = new Set<(event: AccessEvent) => void>();
  readonly #limits: WebAccessLimits;

  constructor(
    private readonly file?: string,
    limits: Partial<WebAccessLimits> = {},
  ) {
    this.#limits = { ...DEFAULT_ACCESS_LIMITS, ...limits };
    this.#decisions = new Map((file ? readDecisions(file) : []).map((d) => [d.origin, d]));
  }

  static inDataDir(dataDir: string, limits?: Partial<WebAccessLimits>): WebAccess {
    return new WebAccess(join(dataDir, ACCESS_FILE), limits);
  }

  isAllowed(origin: string): boolean {
    return this.#decisions.get(origin)?.decision === 'allowed';
  }

  /** Tells the extension about requests and their end; returns the way to stop listening. */
  onEvent(listener: (event: AccessEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A page asks. A decided origin gets its decision at once; an origin with a request waiting joins it; otherwise a
   * new request is made (if the origin has prompts left) and announced. Throws 429 past the limits.
   */
  ask(origin: string, name: string): AccessAsk {
    const decided = this.#decisions.get(origin);
    if (decided) return { status: decided.decision };
    const waiting = this.#pending.get(origin);
    if (waiting) return { status: 'pending', request: waiting.request, settled: waiting.settled };
    this.#takePrompt(origin);
    const pending = this.#open(origin, name);
    this.#emit({ type: 'access_request', request: pending.request });
    return { status: 'pending', request: pending.request, settled: pending.settled };
  }

  /** The user's choice (or a local tool's): kept, and given to the page waiting, if any. */
  decide(origin: string, decision: AccessDecision, name?: string): OriginAccess {
    const waiting = this.#pending.get(origin);
    const entry: OriginAccess = {
      origin,
      decision,
      name: name ?? waiting?.request.name ?? this.#decisions.get(origin)?.name ?? origin,
      decided_at: new Date().toISOString(),
    };
    this.#decisions.set(origin, entry);
    this.#save();
    if (waiting) this.#close(origin, waiting, decision);
    return entry;
  }

  /** Forgets the decision about an origin: it must ask again. False if there was none. */
  revoke(origin: string): boolean {
    if (!this.#decisions.delete(origin)) return false;
    this.#save();
    return true;
  }

  list(fromSettings: readonly string[] = []): AccessList {
    return {
      origins: [...this.#decisions.values()].sort((a, b) => a.origin.localeCompare(b.origin)),
      pending: [...this.#pending.values()].map((p) => p.request),
      from_settings: [...fromSettings],
    };
  }

  /** Ends every waiting request (server shutdown): the pages are told it expired. */
  close(): void {
    for (const [origin, pending] of this.#pending) this.#close(origin, pending, 'expired');
  }

  #takePrompt(origin: string): void {
    const { promptsPerWindow, windowMs, maxPending } = this.#limits;
    if (this.#pending.size >= maxPending) {
      throw new ApiError(
        429,
        'rate_limited',
        `${this.#pending.size} pages are already waiting for the user's answer; try again in a minute.`,
        { retry_after_seconds: 60 },
        { 'retry-after': '60' },
      );
    }
    const now = Date.now();
    const recent = (this.#prompts.get(origin) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= promptsPerWindow) {
      const retryAfter = Math.ceil((recent[0]! + windowMs - now) / 1000);
      throw new ApiError(
        429,
        'rate_limited',
        `This page already asked the user ${recent.length} times in ${windowMs / 60_000} minutes; ask again in ${retryAfter} s, when the user expects it.`,
        { retry_after_seconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
    recent.push(now);
    this.#prompts.set(origin, recent);
    // Old entries go once the map grows: an origin with no prompt in the window needs no record.
    if (this.#prompts.size > 1000)
      for (const [o, times] of this.#prompts) if (times.every((at) => now - at >= windowMs)) this.#prompts.delete(o);
  }

  #open(origin: string, name: string): Pending {
    const now = Date.now();
    const request: PendingAccess = {
      id: randomUUID(),
      origin,
      name,
      requested_at: new Date(now).toISOString(),
      expires_at: new Date(now + this.#limits.pendingMs).toISOString(),
    };
    let settle!: (outcome: Settlement) => void;
    const settled = new Promise<Settlement>((resolve) => (settle = resolve));
    const pending: Pending = {
      request,
      settled,
      settle,
      timer: setTimeout(() => this.#close(origin, pending, 'expired'), this.#limits.pendingMs),
    };
    pending.timer.unref();
    this.#pending.set(origin, pending);
    return pending;
  }

  #close(origin: string, pending: Pending, outcome: Settlement): void {
    if (this.#pending.get(origin) !== pending) return;
    this.#pending.delete(origin);
    clearTimeout(pending.timer);
    pending.settle(outcome);
    this.#emit({ type: 'access_settled', id: pending.request.id, origin, status: outcome });
  }

  #emit(event: AccessEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #save(): void {
    if (this.file) writeDecisions(this.file, [...this.#decisions.values()]);
  }
}
