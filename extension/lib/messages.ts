import type { ChatRequestInput, ChatResponse, FeedbackRequest } from '../../shared/schemas/chat';
import type { DawReport, TransportCommandInput, TransportPosition, TransportState } from '../../shared/schemas/transport';
import type { ConnectionStatus } from './connection';
import type { OutboxKind } from './outbox';
import type { ChatSession } from './chat-history';

/** Messages between the extension's own pages and its background. Types only: every shape on the wire is in shared/. */

export const UI_PORT = 'codette-ui';
/**
 * A DAW tab's content script holds this port and sends a keepalive through it every DAW_KEEPALIVE_MS. Firefox suspends
 * an idle event page (30 s by default) even while a content script's port is open, which drops the socket to the
 * server; a message that reaches a listener counts as activity. So while a DAW tab is open, commands from other clients
 * (REST, another window) reach it even with the sidebar closed.
 */
export const DAW_PORT = 'codette-daw';
export const DAW_KEEPALIVE_MS = 4_000;

/** What the DAW tab's adapter sees, as last reported. */
export interface DawTabInfo {
  tabId: number;
  site: string;
  title: string;
  observed: DawReport;
  /** The controls the adapter found (play, stop, ...) and the fallbacks it can use (keys, media, audio). */
  controls: string[];
  at: number;
}

export interface OutboxItem {
  id: string;
  type: OutboxKind;
  createdAt: number;
  waiting?: string;
}

export interface Notice {
  id: string;
  kind: 'expired' | 'rejected' | 'info';
  count?: number;
  detail?: string;
  at: number;
}

export interface UiSnapshot {
  connection: ConnectionStatus;
  transport: TransportState | null;
  daw: DawTabInfo | null;
  outbox: OutboxItem[];
  notices: Notice[];
}

export type ToUi =
  | { type: 'snapshot'; snapshot: UiSnapshot }
  | { type: 'tick'; position: TransportPosition; revision: number }
  | { type: 'chat_delta'; id: string; delta: string }
  | { type: 'chat_session'; session: ChatSession }
  | { type: 'chat_sessions'; sessions: ChatSession[]; currentId: string | null };

export type FromUi =
  | { type: 'hello'; view: 'sidepanel' | 'popup' | 'options' }
  | { type: 'retry' }
  | { type: 'transport'; command: TransportCommandInput }
  | { type: 'chat_send'; sessionId: string; request: ChatRequestInput }
  | { type: 'chat_new' }
  | { type: 'chat_select'; sessionId: string }
  | { type: 'feedback'; sessionId: string; feedback: FeedbackRequest }
  | { type: 'dismiss'; noticeId: string }
  | { type: 'settings_changed' };

/** Content script (DAW tab) to background. */
export type FromDaw =
  | { type: 'daw_state'; site: string; title: string; observed: DawReport; controls: string[]; reason: 'change' | 'command' | 'hello' | 'query' };

/** Background to the content script of a DAW tab. */
export type ToDaw = { type: 'daw_command'; command: TransportCommandInput } | { type: 'daw_query' };

export interface DawCommandResult {
  ok: boolean;
  /** How the command was carried out: 'button', 'key', 'media', 'input', or why not. */
  via: string;
}

export type { ChatResponse };
