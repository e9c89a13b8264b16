import type { AccessDecision, AccessEvent, PendingAccess } from '../../../shared/api/access';
import { applyAccessEvent, stillWaiting, type ServerAccess } from '../../lib/web-access';

/** What the part needs from the rest of the background (the server calls of lib/web-access, the settings, a push). */
export interface AccessRequestsDeps {
  server(): Promise<ServerAccess>;
  list(server: ServerAccess): Promise<{ pending: PendingAccess[] }>;
  decide(server: ServerAccess, origin: string, decision: AccessDecision): Promise<unknown>;
  /** The waiting count or the problem changed: the badge and the pages' snapshot follow. */
  changed(): void;
  now?: () => number;
}

/**
 * Web pages waiting for the user's Allow / Deny (POST /api/access): kept from the socket's events, reloaded from the
 * server after each (re)connection (requests made while the socket was down), answered for the user.
 */
export class AccessRequests {
  private requests: PendingAccess[] = [];
  /** The last decision's failure, shown beside the prompt until the next one succeeds. */
  problem: string | null = null;

  constructor(private readonly deps: AccessRequestsDeps) {}

  get waiting(): PendingAccess[] {
    return stillWaiting(this.requests, (this.deps.now ?? Date.now)());
  }

  onEvent(event: AccessEvent): void {
    this.requests = applyAccessEvent(this.requests, event);
    this.deps.changed();
  }

  async reload(): Promise<void> {
    try {
      this.requests = (await this.deps.list(await this.deps.server())).pending;
      this.deps.changed();
    } catch {
      /* an older server without /api/access, or gone again: the socket's events still come */
    }
  }

  async decide(origin: string, decision: AccessDecision): Promise<void> {
    try {
      await this.deps.decide(await this.deps.server(), origin, decision);
      this.requests = this.requests.filter((r) => r.origin !== origin);
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
    this.deps.changed();
  }
}
