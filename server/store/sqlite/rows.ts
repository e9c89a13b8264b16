/**
 * The embedded store's rows as SQLite returns them, and their mapping to the shapes of shared/schemas: JSON columns
 * are text in SQLite, nullable columns come back as null, timestamps are ISO strings.
 */
import { randomUUID } from 'node:crypto';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import {
  ratingValue,
  type AppendMessageBody,
  type ChatMessage,
  type ChatSession,
  type CreateSessionBody,
  type Feedback,
  type FeedbackBody,
  type FileRecord,
  type FileRecordBody,
  type JsonObject,
  type JsonValue,
} from '../../../shared/schemas/persistence';
import type { PageOptions } from '../types';

export const iso = (d = new Date()) => d.toISOString();

/** Keyset page parameters; SQLite reads a negative limit as "no limit". */
export const pageParams = (page: PageOptions) => ({
  limit: page.limit ?? -1,
  at: page.before?.at ?? null,
  id: page.before?.id ?? null,
});

/** Our own JSON columns, written by JSON.stringify of values the schemas accepted. */
const parseJson = <T>(text: string): T => JSON.parse(text) as T;

export interface KnowledgeRow {
  id: string;
  topic: string;
  category: string;
  title: string;
  body: string;
  parameters: string;
  tags: string;
}
export interface SessionRow {
  id: string;
  title: string;
  perspective: string | null;
  created_at: string;
  updated_at: string;
}
export interface MessageRow {
  id: string;
  session_id: string;
  role: ChatMessage['role'];
  content: string;
  client_id: string | null;
  perspective: string | null;
  confidence: number | null;
  sources: string;
  actions: string;
  metadata: string;
  created_at: string;
}
export interface FeedbackRow {
  id: string;
  message_id: string;
  rating: number;
  comment: string | null;
  client_id: string | null;
  created_at: string;
}
export interface FileRow {
  id: string;
  session_id: string | null;
  name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string | null;
  storage_path: string | null;
  metadata: string;
  created_at: string;
}

export const knowledgeOf = (r: KnowledgeRow): KnowledgeEntry => ({
  id: r.id,
  topic: r.topic,
  category: r.category as KnowledgeEntry['category'],
  title: r.title,
  body: r.body,
  parameters: parseJson<KnowledgeEntry['parameters']>(r.parameters),
  tags: parseJson<string[]>(r.tags),
});

/** The columns of music_knowledge for one entry (tags also as text, for the full-text index). */
export const knowledgeRow = (e: KnowledgeEntry): KnowledgeRow & { tags_text: string } => ({
  id: e.id,
  topic: e.topic,
  category: e.category,
  title: e.title,
  body: e.body,
  parameters: JSON.stringify(e.parameters),
  tags: JSON.stringify(e.tags),
  tags_text: e.tags.join(' '),
});

export const sessionOf = (r: SessionRow): ChatSession => ({
  id: r.id,
  title: r.title,
  perspective: r.perspective,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const messageOf = (r: MessageRow): ChatMessage => ({
  id: r.id,
  session_id: r.session_id,
  role: r.role,
  content: r.content,
  client_id: r.client_id,
  perspective: r.perspective,
  confidence: r.confidence,
  sources: parseJson<JsonValue[]>(r.sources),
  actions: parseJson<JsonValue[]>(r.actions),
  metadata: parseJson<JsonObject>(r.metadata),
  created_at: r.created_at,
});

export const feedbackOf = (r: FeedbackRow): Feedback => ({
  id: r.id,
  message_id: r.message_id,
  rating: r.rating === 1 ? 1 : -1,
  comment: r.comment,
  client_id: r.client_id,
  created_at: r.created_at,
});

export const fileOf = (r: FileRow): FileRecord => ({
  id: r.id,
  session_id: r.session_id,
  name: r.name,
  mime_type: r.mime_type,
  size_bytes: r.size_bytes,
  sha256: r.sha256,
  storage_path: r.storage_path,
  metadata: parseJson<JsonObject>(r.metadata),
  created_at: r.created_at,
});

// ------------------------------------------------------------------------------------- new rows from request bodies
export function newSessionRow(body: CreateSessionBody, now = iso()): SessionRow {
  return {
    id: randomUUID(),
    title: body.title?.trim() || 'New session',
    perspective: body.perspective ?? null,
    created_at: now,
    updated_at: now,
  };
}

export const newMessageRow = (body: AppendMessageBody): MessageRow => ({
  id: randomUUID(),
  session_id: body.session_id,
  role: body.role,
  content: body.content,
  client_id: body.client_id ?? null,
  perspective: body.perspective ?? null,
  confidence: body.confidence ?? null,
  sources: JSON.stringify(body.sources ?? []),
  actions: JSON.stringify(body.actions ?? []),
  metadata: JSON.stringify(body.metadata ?? {}),
  created_at: iso(),
});

export const newFeedbackRow = (body: FeedbackBody): FeedbackRow => ({
  id: randomUUID(),
  message_id: body.message_id,
  rating: ratingValue(body.rating),
  comment: body.comment ?? null,
  client_id: body.client_id ?? null,
  created_at: iso(),
});

export const newFileRow = (body: FileRecordBody): FileRow => ({
  id: randomUUID(),
  session_id: body.session_id ?? null,
  name: body.name,
  mime_type: body.mime_type,
  size_bytes: body.size_bytes,
  sha256: body.sha256 ?? null,
  storage_path: body.storage_path ?? null,
  metadata: JSON.stringify(body.metadata ?? {}),
  created_at: iso(),
});
