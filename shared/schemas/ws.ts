import { z } from 'zod';
import { ErrorInfo } from './errors';
import { DawReport, TransportCommand, TransportState, TransportPosition } from './transport';
import { Health } from './service';
import { ChatRequest, ChatResponse, FeedbackRequest } from './chat';
import { AnalysisStatus, AudioAnalysisProgress, StreamAnalysis, StreamSnapshot } from './analysis';
import { AccessRequestMessage, AccessSettledMessage } from '../api/access';

/** A client-chosen id: the server acknowledges it, and applies a repeated id only once. */
export const ClientMessageId = z.string().min(1).max(100);

export const Topic = z.enum(['transport', 'status', 'analysis']);
export type Topic = z.infer<typeof Topic>;

const withId = { id: ClientMessageId.optional() };

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), ...withId, t: z.number().optional() }),
  z.object({ type: z.literal('transport'), ...withId, command: TransportCommand }),
  z.object({ type: z.literal('daw_report'), ...withId, report: DawReport }),
  z.object({ type: z.literal('subscribe'), ...withId, topics: z.array(Topic).min(1) }),
  z.object({ type: z.literal('unsubscribe'), ...withId, topics: z.array(Topic).min(1) }),
  z.object({ type: z.literal('status'), ...withId }),
  /** Chat over the socket streams: chat_delta messages, then chat_reply, all with this message's id. */
  z.object({ type: z.literal('chat'), id: ClientMessageId, request: ChatRequest }),
  z.object({ type: z.literal('feedback'), id: ClientMessageId, feedback: FeedbackRequest }),
  /** A live meter snapshot (the same body as POST /api/analyze/stream); findings that change go to 'analysis' subscribers. */
  z.object({ type: z.literal('meter_snapshot'), ...withId, snapshot: StreamSnapshot }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageInput = z.input<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    server: z.object({ name: z.string(), version: z.string(), protocol: z.number().int() }),
    connection_id: z.string(),
    transport: TransportState,
  }),
  z.object({
    type: z.literal('pong'),
    id: ClientMessageId.optional(),
    t: z.number().optional(),
    server_time_ms: z.number(),
  }),
  z.object({ type: z.literal('ack'), id: ClientMessageId, duplicate: z.boolean() }),
  z.object({ type: z.literal('transport_state'), state: TransportState, command: TransportCommand.optional() }),
  z.object({
    type: z.literal('transport_tick'),
    position: TransportPosition,
    revision: z.number().int(),
    server_time_ms: z.number(),
  }),
  z.object({ type: z.literal('server_status'), health: Health }),
  z.object({ type: z.literal('subscribed'), id: ClientMessageId.optional(), topics: z.array(Topic) }),
  z.object({ type: z.literal('error'), id: ClientMessageId.optional(), error: ErrorInfo }),
  z.object({ type: z.literal('chat_delta'), id: ClientMessageId, delta: z.string() }),
  z.object({ type: z.literal('chat_reply'), id: ClientMessageId, reply: ChatResponse }),
  z.object({ type: z.literal('analysis_progress'), file_id: z.string(), ...AudioAnalysisProgress.shape }),
  z.object({
    type: z.literal('analysis_done'),
    file_id: z.string(),
    status: AnalysisStatus,
    score: z.number().int().min(0).max(100),
    summary: z.string(),
  }),
  z.object({ type: z.literal('stream_findings'), analysis: StreamAnalysis }),
  /** To the extension only: a web page asks for access (POST /api/access), and how that request ended. */
  AccessRequestMessage,
  AccessSettledMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
