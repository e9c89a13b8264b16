import { z } from 'zod';
import { ImportBody, ImportResult } from '../schemas/backup';
import {
  AddFeedbackResult,
  ChatMessage,
  ChatSessionSummary,
  FeedbackBody,
  PageQuery,
  RowId,
  UserExport,
} from '../schemas/persistence';
import { defineEndpoint } from './define';
import { JSON_BODY_ERRORS, STORE_ERRORS } from './errors';

/** One page of sessions, most recent activity first; `next_before` is the next page's `before`, null at the end. */
export const SessionPage = z.object({ sessions: z.array(ChatSessionSummary), next_before: z.string().nullable() });
export type SessionPage = z.infer<typeof SessionPage>;

/** A session's messages in pages, oldest first: `limit`, then `after=next_after` until it is null. */
export const MessagePageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  after: PageQuery.shape.before,
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;

export const MessagePage = z.object({
  session_id: z.string(),
  messages: z.array(ChatMessage),
  next_after: z.string().nullable(),
});
export type MessagePage = z.infer<typeof MessagePage>;

export const SessionDeleted = z.object({ deleted: z.literal(true), session_id: z.string() });
export type SessionDeleted = z.infer<typeof SessionDeleted>;

const SessionParams = z.object({ id: RowId });

export const historyEndpoints = [
  defineEndpoint({
    name: 'sessions.list',
    method: 'GET',
    path: '/codette/sessions',
    summary:
      'Your chat sessions, most recent activity first, with message counts; in pages (`limit`, then `before=next_before`)',
    tag: 'history',
    query: PageQuery,
    responses: { 200: SessionPage },
    errors: ['invalid_request', ...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'sessions.messages',
    method: 'GET',
    path: '/codette/sessions/:id/messages',
    summary: 'The messages of one of your sessions, oldest first; in pages (`limit`, then `after=next_after`)',
    tag: 'history',
    params: SessionParams,
    query: MessagePageQuery,
    responses: { 200: MessagePage },
    errors: ['invalid_request', 'not_found', ...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'sessions.delete',
    method: 'DELETE',
    path: '/codette/sessions/:id',
    summary: 'Delete one of your sessions with its messages and their feedback',
    tag: 'history',
    params: SessionParams,
    responses: { 200: SessionDeleted },
    errors: ['invalid_request', 'not_found', ...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'feedback.send',
    method: 'POST',
    path: '/codette/feedback',
    summary:
      "Rate one of Codette's answers: {message_id, rating: up | down, comment?}; a repeated client_id is stored once",
    tag: 'history',
    body: { json: FeedbackBody },
    responses: { 200: AddFeedbackResult },
    errors: [...JSON_BODY_ERRORS, 'not_found', ...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'data.export',
    method: 'GET',
    path: '/codette/export',
    summary: 'All your data (sessions, messages, feedback, file records) as one JSON download',
    tag: 'history',
    responses: { 200: UserExport },
    answer: 'download',
    errors: [...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'data.import',
    method: 'POST',
    path: '/codette/import',
    summary:
      'Restore an export (GET /codette/export) into your data: ids kept, rows already there skipped, all or nothing',
    description:
      'The body is the export file as downloaded. It is checked whole before anything is written: a file cut short, a field ' +
      'out of shape, or a row pointing at a row the file does not hold is refused with 400 naming the field, and nothing ' +
      'is stored. Importing the same file again adds nothing (every row is reported as skipped).',
    tag: 'history',
    body: { json: ImportBody, jsonLimit: 'upload' },
    responses: { 200: ImportResult },
    errors: [...JSON_BODY_ERRORS, 'conflict', ...STORE_ERRORS],
  }),
] as const;
