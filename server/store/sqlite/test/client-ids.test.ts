/** The client-id dedupe table on a real in-memory database with the store's schema, under a hand-moved clock. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ClientIdTable } from '../client-ids';
import { SQLITE_MIGRATIONS } from '../migrations';

function table(ttlMs: number) {
  const db = new Database(':memory:');
  for (const m of SQLITE_MIGRATIONS) db.exec(m.sql);
  let now = Date.parse('2026-12-08T00:00:00Z');
  const ids = new ClientIdTable(
    (sql) => db.prepare(sql),
    ttlMs,
    () => now,
  );
  return { ids, advance: (ms: number) => (now += ms), db };
}

describe('client id table', () => {
  it('remembers a result, keeps the first one, and forgets it after the TTL', () => {
    const { ids, advance } = table(1000);
    expect(ids.lookup('c1')).toBeNull();
    ids.remember('c1', { message_id: 'm1' });
    ids.remember('c1', { message_id: 'other' });
    expect(ids.lookup('c1')).toEqual({ message_id: 'm1' });
    advance(999);
    expect(ids.lookup('c1')).toEqual({ message_id: 'm1' });
    advance(2);
    expect(ids.lookup('c1')).toBeNull();
  });

  it('prunes expired rows when a new one is remembered', () => {
    const { ids, advance, db } = table(1000);
    ids.remember('old', true);
    advance(5000);
    ids.remember('new', true);
    const rows = db.prepare('select client_id from applied_client_ids').all() as { client_id: string }[];
    expect(rows.map((r) => r.client_id)).toEqual(['new']);
  });
});
