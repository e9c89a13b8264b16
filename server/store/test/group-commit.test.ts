/** Writes that arrive together commit together, and one failing write does not take the others down. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sqlite/store';
import { StoreError } from '../errors';

const tmp = mkdtempSync(join(tmpdir(), 'codette-group-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('embedded store group commit', () => {
  it('50 concurrent writes share a handful of commits, and every one is in the file when its promise resolves', async () => {
    const path = join(tmp, 'grouped.db');
    const store = await openSqliteStore({ path });
    const session = await store.createSession('local', { title: 'grouped' });
    const before = { ...store.writeStats };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.appendMessage('local', { session_id: session.id, role: 'user', content: `m${i}` }),
      ),
    );
    expect(store.writeStats.writes - before.writes).toBe(50);
    expect(store.writeStats.commits - before.commits).toBeLessThanOrEqual(2);
    // Another connection sees all of them: resolved means committed.
    const other = new Database(path, { readonly: true });
    const count = other.prepare('select count(*) as n from messages where session_id = ?').get(session.id) as {
      n: number;
    };
    other.close();
    expect(count.n).toBe(50);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(50);
    // In the order they were asked for.
    expect((await store.listMessages('local', session.id)).map((m) => m.content)).toEqual(
      results.map((r) => r.message.content),
    );
    await store.close();
  });

  it('a write that fails inside a batch is rejected alone; the writes around it commit', async () => {
    const path = join(tmp, 'isolated.db');
    const store = await openSqliteStore({ path });
    const session = await store.createSession('local');
    const settled = await Promise.allSettled([
      store.appendMessage('local', { session_id: session.id, role: 'user', content: 'before' }),
      store.appendMessage('local', { session_id: 'no-such-session', role: 'user', content: 'lost?' }),
      store.addFeedback('local', { message_id: 'no-such-message', rating: 'up' }),
      store.appendMessage('local', { session_id: session.id, role: 'assistant', content: 'after' }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const reasons = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => s.reason as StoreError);
    expect(reasons.map((r) => [r instanceof StoreError, r.code])).toEqual([
      [true, 'not_found'],
      [true, 'not_found'],
    ]);
    expect((await store.listMessages('local', session.id)).map((m) => m.content)).toEqual(['before', 'after']);
    await store.close();
  });

  it('close() commits the writes still waiting for their turn', async () => {
    const path = join(tmp, 'closing.db');
    const store = await openSqliteStore({ path });
    const session = await store.createSession('local');
    const pending = store.appendMessage('local', { session_id: session.id, role: 'user', content: 'last words' });
    await store.close();
    await expect(pending).resolves.toMatchObject({ created: true });
    const reopened = await openSqliteStore({ path });
    expect((await reopened.listMessages('local', session.id)).map((m) => m.content)).toEqual(['last words']);
    await reopened.close();
  });
});
