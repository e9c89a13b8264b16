import { z } from 'zod';
import { ChatRequest, ChatResponse, FeedbackRequest } from './chat';
import { DawCommandOutcome, DawReport, TransportCommand } from './transport';
import { AccessDecision } from '../api/access';

/**
 * Messages between the extension's own parts (panel, popup and options pages; DAW tabs; the background) and what
 * the background keeps in storage.local. They cross a process boundary (a port, runtime messaging, storage written
 * by an older version), so the background parses each one with these schemas instead of trusting its type.
 */

// ------------------------------------------------------------------------------------------- teach mode
export const TeachControl = z.enum(['play', 'stop', 'record', 'loop', 'tempo']);
export type TeachControl = z.infer<typeof TeachControl>;
export const TeachStep = z.enum(['start', 'skip', 'save', 'cancel']);
export type TeachStep = z.infer<typeof TeachStep>;
const Learnt = z.partialRecord(TeachControl, z.string());
const Verified = z.object({ play: z.boolean(), stop: z.boolean() });

// ------------------------------------------------------------------------------------------- pages -> background
export const FromUi = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), view: z.enum(['sidepanel', 'popup', 'options']) }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('transport'), command: TransportCommand }),
  z.object({ type: z.literal('chat_send'), sessionId: z.string().min(1), request: ChatRequest }),
  z.object({ type: z.literal('chat_new') }),
  z.object({ type: z.literal('chat_select'), sessionId: z.string().min(1) }),
  z.object({ type: z.literal('feedback'), sessionId: z.string().min(1), feedback: FeedbackRequest }),
  z.object({ type: z.literal('dismiss'), noticeId: z.string() }),
  z.object({ type: z.literal('settings_changed') }),
  z.object({ type: z.literal('site_permission'), site: z.string().min(1), allow: z.boolean() }),
  z.object({ type: z.literal('teach'), step: TeachStep }),
  z.object({ type: z.literal('access_decision'), origin: z.string().min(1), decision: AccessDecision }),
]);
export type FromUi = z.input<typeof FromUi>;

// ------------------------------------------------------------------------------------------- DAW tab <-> background
export const FromDaw = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('daw_state'),
    site: z.string(),
    title: z.string(),
    /** Checked again, with the tab the browser names, by checkReport before it goes anywhere. */
    observed: z.unknown(),
    controls: z.array(z.string().max(40)).max(40),
    reason: z.enum(['change', 'command', 'hello', 'query']),
    outcome: DawCommandOutcome.optional(),
  }),
  z.object({
    type: z.literal('teach_progress'),
    step: TeachControl.nullable(),
    learnt: Learnt,
    verified: Verified.optional(),
    message: z.string().optional(),
  }),
]);
/** What a DAW tab's script sends (its `observed` typed as the DawReport it means to be). */
export type FromDaw =
  | (Omit<Extract<z.input<typeof FromDaw>, { type: 'daw_state' }>, 'observed'> & { observed: DawReport })
  | Extract<z.input<typeof FromDaw>, { type: 'teach_progress' }>;

/** A DAW tab's message as the background parsed it (`observed` still to be checked with the tab's identity). */
export type FromDawMessage = z.output<typeof FromDaw>;

/** Other runtime messages the background answers: the popup's status query, the open-panel request. */
export const RuntimeRequest = z.union([
  FromDaw,
  z.object({ type: z.literal('status') }),
  z.object({ type: z.literal('open_panel') }),
]);

export const ToDaw = z.discriminatedUnion('type', [
  z.object({ type: z.literal('daw_command'), command: TransportCommand }),
  z.object({ type: z.literal('daw_query') }),
  z.object({ type: z.literal('teach'), step: TeachStep }),
]);
export type ToDaw = z.input<typeof ToDaw>;

// ------------------------------------------------------------------------------------------- storage.local
/** One message of a chat kept in the extension: the user's question or Codette's reply, by client id. */
export const LocalChatMessage = z.object({
  /** The client id: the outbox id of a user message, the same id for the reply it streams. */
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.number(),
  request: ChatRequest.optional(),
  reply: ChatResponse.optional(),
  rating: FeedbackRequest.shape.rating.optional(),
});
export type LocalChatMessage = z.input<typeof LocalChatMessage>;

/** A chat as the extension keeps it, so that it comes back when the panel reopens (the server has its own copy). */
export const LocalChat = z.object({
  /** The extension's id for the chat (it exists before the server has answered). */
  id: z.string(),
  /** The server's session id, from the first reply: later questions carry it so that the server keeps the context. */
  serverSessionId: z.string().optional(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messages: z.array(LocalChatMessage),
});
export type LocalChat = z.input<typeof LocalChat>;

export const LocalChats = z.object({
  sessions: z.array(LocalChat),
  currentId: z.string().nullable(),
});
export type LocalChats = z.input<typeof LocalChats>;
