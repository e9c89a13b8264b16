/** An acknowledged write survives SIGKILL; several processes write the same file at once without loss. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sqlite/store';
import { startChild } from './child';

const tmp = mkdtempSync(join(tmpdir(), 'codette-durable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('embedded store durability', () => {
  it('a write acknowledged to a client survives the process being SIGKILLed right after', async () => {
    const path = join(tmp, 'killed.db');
    const run = startChild(['ack', path]);
    const line = await run.waitFor('acked ');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(run.child.signalCode).toBe('SIGKILL');
    const { session_id, message_id } = JSON.parse(line.slice('acked '.length)) as {
      session_id: string;
      message_id: string;
    };
    const store = await openSqliteStore({ path });
    const messages = await store.listMessages('local', session_id);
    expect(messages.map((m) => [m.id, m.content])).toEqual([[message_id, 'acked write']]);
    await store.close();
  });

  it('4 processes and 50 in-process writers write one file concurrently with no error and no lost row', async () => {
    const path = join(tmp, 'shared.db');
    const store = await openSqliteStore({ path, busyTimeoutMs: 10_000 });
    const session = await store.createSession('local', { title: 'many writers' });
    const children = [0, 1, 2, 3].map((p) => startChild(['writer', path, 'local', session.id, '50', `proc${p}`]));
    const local = Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = 0; i < 2; i++)
          await store.appendMessage('local', { session_id: session.id, role: 'assistant', content: `w${w} ${i}` });
      }),
    );
    await Promise.all([local, ...children.map((c) => c.waitFor('done 50', 30_000))]);
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes).toEqual([0, 0, 0, 0]);
    const messages = await store.listMessages('local', session.id);
    expect(messages).toHaveLength(4 * 50 + 50 * 2);
    expect(new Set(messages.map((m) => m.content)).size).toBe(300);
    await store.close();
  }, 60_000);
});
