/** The embedded store's in-memory knowledge search: what it matches, how it ranks, and that it never goes stale. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import { KnowledgeIndex, indexWords } from '../knowledge-index';
import { openSqliteStore } from '../sqlite/store';
import { SQLITE_APPLICATION_ID, SQLITE_MIGRATIONS } from '../sqlite/migrations';

const entry = (id: string, over: Partial<KnowledgeEntry>): KnowledgeEntry => ({
  id,
  topic: 'general',
  category: 'mix_problems',
  title: 'Untitled',
  body: 'Some text about sound.',
  parameters: {},
  tags: [],
  ...over,
});

const entries = [
  entry('a.kick', {
    title: 'Kick drum punch',
    body: 'Compress the kick with a slow attack so the transient passes.',
    tags: ['kick', 'drums'],
  }),
  entry('b.vocal', {
    title: 'Vocal compression',
    body: 'Compressing vocals evenly: ratio 3:1, fast attack.',
    tags: ['vocals'],
    category: 'compression',
  }),
  entry('c.reverb', { title: 'Reverb on vocals', body: 'A short plate keeps the vocal upfront.', tags: ['reverb'] }),
  entry('d.cafe', { title: 'Café sessions', body: 'Recording in a noisy room.', category: 'recording' }),
];
const index = KnowledgeIndex.build(entries);

describe('knowledge index', () => {
  it('stems and folds accents the same way for entries and questions', () => {
    expect(indexWords('Compressing Vocals')).toEqual(indexWords('compressed vocal'));
    expect(indexWords('Café')).toEqual(['cafe']);
    expect(index.search('cafe', { limit: 5 }).map((h) => h.id)).toEqual(['d.cafe']);
  });

  it('ranks a title match above a body match and doubles entries that have every word', () => {
    const hits = index.search('vocal compression', { limit: 5 });
    expect(hits[0]!.id).toBe('b.vocal');
    expect(hits[0]!.score).toBe(1);
    expect(hits.map((h) => h.id)).toContain('c.reverb');
    expect(hits.find((h) => h.id === 'c.reverb')!.score).toBeLessThan(0.5);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
  });

  it('drops stop words, filters by category, honours the limit, and finds nothing in nothing', () => {
    expect(index.search('how do I', { limit: 5 })).toEqual([]);
    expect(index.search('', { limit: 5 })).toEqual([]);
    expect(index.search('vocal', { limit: 5, category: 'compression' }).map((h) => h.id)).toEqual(['b.vocal']);
    expect(index.search('vocal kick reverb', { limit: 1 })).toHaveLength(1);
  });

  it('answers a search in well under 100 µs over the real knowledge base', async () => {
    const { loadKnowledgeDir } = await import('../knowledge-source');
    const real = KnowledgeIndex.build(loadKnowledgeDir());
    const questions = [
      'how do I compress a lead vocal',
      'my kick and bass are clashing',
      'the mix sounds muddy around 300 hz',
    ];
    for (const q of questions) expect(real.search(q, { limit: 12 }).length).toBeGreaterThan(0);
    const start = performance.now();
    for (let i = 0; i < 3000; i++) real.search(`${questions[i % 3]} take ${i}`, { limit: 12 });
    const perSearchUs = ((performance.now() - start) / 3000) * 1000;
    expect(perSearchUs).toBeLessThan(400); // generous for a busy CI machine; about 40 µs here
  });
});

describe('embedded store search', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'codette-index-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('sees knowledge that another process wrote into the file', async () => {
    const path = join(tmp, 'shared.db');
    const store = await openSqliteStore({ path, knowledge: entries });
    expect(await store.searchKnowledge('theremin')).toEqual([]);
    const other = new Database(path);
    other
      .prepare(
        `insert into music_knowledge (id, topic, category, title, body, parameters, tags, tags_text) values (?, ?, ?, ?, ?, '{}', '[]', '')`,
      )
      .run('e.theremin', 'theremin', 'sound_design', 'Theremin tone', 'Pitch without touch.');
    other.close();
    expect((await store.searchKnowledge('theremin')).map((h) => h.id)).toEqual(['e.theremin']);
    // Chat writes by another process leave the index alone (and keep answering the same).
    const session = await store.createSession('local');
    const writer = new Database(path);
    writer
      .prepare(
        `insert into messages (id, session_id, user_id, role, content, created_at) values ('m1', ?, 'local', 'user', 'hi', '2026-01-01T00:00:00Z')`,
      )
      .run(session.id);
    writer.close();
    expect((await store.searchKnowledge('theremin')).map((h) => h.id)).toEqual(['e.theremin']);
    await store.close();
  });

  it('upgrades a version-1 file: the FTS5 table goes, the rows stay and are found', async () => {
    const path = join(tmp, 'v1.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(SQLITE_MIGRATIONS.find((m) => m.version === 1)!.sql);
    old.pragma(`application_id = ${SQLITE_APPLICATION_ID}`);
    old.pragma('user_version = 1');
    old
      .prepare(
        `insert into music_knowledge (id, topic, category, title, body, parameters, tags, tags_text) values (?, ?, ?, ?, ?, '{}', '[]', '')`,
      )
      .run('old.entry', 'bass', 'eq', 'Bass weight', 'Low shelf under the kick.');
    old.close();
    const store = await openSqliteStore({ path });
    expect((await store.searchKnowledge('bass shelf')).map((h) => h.id)).toEqual(['old.entry']);
    await store.close();
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(2);
    expect(after.prepare(`select name from sqlite_master where name like 'knowledge_fts%'`).all()).toEqual([]);
    after.close();
  });
});
