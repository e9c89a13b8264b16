import type Database from 'better-sqlite3';
import type { JsonValue } from '../../../shared/schemas/persistence';
import { SQL } from './queries';
import { iso } from './rows';

/**
 * The server's dedupe of client message ids in applied_client_ids: what applying an id gave, kept for `ttlMs`
 * (expired rows are pruned when a new one is remembered, and at open). Runs inside the caller's transaction.
 */
export class ClientIdTable {
  constructor(
    private readonly statement: (sql: string) => Database.Statement,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  #cutoff(): string {
    return iso(new Date(this.now() - this.ttlMs));
  }

  prune(): number {
    return this.statement(SQL.pruneClientIds).run(this.#cutoff()).changes;
  }

  /** The first result stays if the id is remembered twice. */
  remember(clientId: string, result: JsonValue): void {
    this.prune();
    this.statement(SQL.rememberClientId).run(clientId, JSON.stringify(result), iso(new Date(this.now())));
  }

  lookup(clientId: string): JsonValue | null {
    const r = this.statement(SQL.lookupClientId).get(clientId, this.#cutoff()) as { result: string } | undefined;
    return r ? (JSON.parse(r.result) as JsonValue) : null;
  }
}
