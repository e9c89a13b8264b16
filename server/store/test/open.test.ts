/** openStore picks the engine from the settings and fails with clear typed errors. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../errors';
import { openStore } from '../open';
import { FIXTURE_KNOWLEDGE_DIR } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'codette-open-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as StoreError,
  );

describe('openStore', () => {
  it('opens the embedded database in the data directory and fills the knowledge from the data files', async () => {
    const knowledgeDir = join(tmp, 'knowledge');
    cpSync(FIXTURE_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    const dataDir = join(tmp, 'data');
    const store = await openStore({ dataDir, knowledgeDir });
    expect(store.kind).toBe('sqlite');
    expect(store.location).toBe(join(dataDir, 'codette.db'));
    expect(await store.countKnowledge()).toBe(6);
    await store.close();

    // the data files changed: the next start brings the table in line (one entry removed, one retitled)
    const file = join(knowledgeDir, 'fixture.json');
    const entries = JSON.parse(readFileSync(file, 'utf8')) as { id: string; title: string }[];
    entries.pop();
    entries[0]!.title = 'Kick drum punch with a qwertz boost';
    writeFileSync(file, JSON.stringify(entries));
    const again = await openStore({ dataDir, knowledgeDir });
    expect(await again.countKnowledge()).toBe(5);
    expect((await again.searchKnowledge('qwertz'))[0]?.id).toBe(entries[0]!.id);
    await again.close();
  });

  it('refuses half a Supabase configuration', async () => {
    const e = await failure(openStore({ dataDir: tmp, knowledgeDir: false, supabase: { url: 'http://127.0.0.1:9' } }));
    expect(e).toBeInstanceOf(StoreError);
    expect(e?.code).toBe('misconfigured');
    expect(e?.message).toMatch(/SUPABASE_SERVICE_ROLE_KEY/);
  });

  it('says when Supabase is unreachable', async () => {
    const e = await failure(
      openStore({ dataDir: tmp, knowledgeDir: false, supabase: { url: 'http://127.0.0.1:9', serviceRoleKey: 'key' } }),
    );
    expect(e?.code).toBe('unreachable');
    expect(e?.message).toMatch(/Check SUPABASE_URL/);
  });

  it('refuses invalid knowledge data files with the file and field', async () => {
    const bad = join(tmp, 'bad-knowledge');
    cpSync(FIXTURE_KNOWLEDGE_DIR, bad, { recursive: true });
    writeFileSync(join(bad, 'broken.json'), JSON.stringify([{ id: 'Bad Id' }]));
    const e = await failure(openStore({ dataDir: join(tmp, 'd2'), knowledgeDir: bad }));
    expect(e?.code).toBe('misconfigured');
    expect(e?.message).toMatch(/broken\.json: 0\.id/);
  });
});
