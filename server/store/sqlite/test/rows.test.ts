/** Rows as SQLite stores them and the shapes of shared/schemas: built from bodies, read back, schema-valid. */
import { describe, expect, it } from 'vitest';
import { KnowledgeEntry } from '../../../../shared/schemas/knowledge';
import { ChatMessage, ChatSession, Feedback, FileRecord } from '../../../../shared/schemas/persistence';
import {
  feedbackOf,
  fileOf,
  knowledgeOf,
  knowledgeRow,
  messageOf,
  newFeedbackRow,
  newFileRow,
  newMessageRow,
  newSessionRow,
  pageParams,
  sessionOf,
} from '../rows';

describe('sqlite rows', () => {
  it('a knowledge entry goes to columns (JSON text, tags as words) and back unchanged', () => {
    const entry: KnowledgeEntry = {
      id: 'mix.kick',
      topic: 'kick',
      category: 'eq',
      title: 'Kick punch',
      body: 'Cut 300 Hz.',
      parameters: { freq_hz: 60 },
      tags: ['kick', 'low end'],
    };
    const row = knowledgeRow(entry);
    expect(row.tags_text).toBe('kick low end');
    expect(typeof row.parameters).toBe('string');
    expect(knowledgeOf(row)).toEqual(entry);
  });

  it('new rows from bodies: defaults filled, JSON columns as text, and they read back schema-valid', () => {
    const session = newSessionRow({ title: '  ' }, '2026-12-08T00:00:00.000Z');
    expect(session.title).toBe('New session');
    expect(ChatSession.parse(sessionOf(session)).perspective).toBeNull();
    const message = newMessageRow({ session_id: session.id, role: 'user', content: 'hi', metadata: { a: 1 } });
    expect([message.sources, message.metadata]).toEqual(['[]', '{"a":1}']);
    expect(ChatMessage.parse(messageOf(message)).metadata).toEqual({ a: 1 });
    const feedback = newFeedbackRow({ message_id: message.id, rating: 'down' });
    expect(feedback.rating).toBe(-1);
    expect(Feedback.parse(feedbackOf(feedback)).rating).toBe(-1);
    const file = newFileRow({ name: 'mix.wav', mime_type: 'audio/wav', size_bytes: 10 });
    expect(FileRecord.parse(fileOf(file))).toMatchObject({ session_id: null, sha256: null, metadata: {} });
  });

  it('a keyset page: no limit is -1 (SQLite: unbounded), the cursor or nulls', () => {
    expect(pageParams({})).toEqual({ limit: -1, at: null, id: null });
    expect(pageParams({ limit: 5, before: { at: 't', id: 'i' } })).toEqual({ limit: 5, at: 't', id: 'i' });
  });
});
