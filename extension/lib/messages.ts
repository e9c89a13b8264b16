import type { PendingAccess } from '../../shared/api/access';
import type { LocalChat, TeachControl } from '../../shared/schemas/extension';
import type { DawCommandOutcome, DawReport, TransportPosition, TransportState } from '../../shared/schemas/transport';
import type { ConnectionStatus } from './connection';
import type { OutboxKind } from './outbox';

/**
 * Messages between the extension's own pages and its background. Types only: the messages the background receives
 * (FromUi, FromDaw) and sends to tabs (ToDaw) are zod schemas in shared/schemas/extension.ts.
 */
export type { FromDaw, FromUi, ToDaw } from '../../shared/schemas/extension';

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
  /** What became of the last command there (a failure is shown with a way to teach Codette the DAW). */
  outcome?: DawCommandOutcome;
}

/** A tab on an origin the user has not enabled yet: nothing of it is reported until they say yes in the panel. */
export interface SiteRequest {
  tabId: number;
  site: string;
  title: string;
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
  /** The active tab looks like a DAW on a site not enabled yet. */
  siteRequest?: SiteRequest | null;
  /** Teach mode in the DAW tab: which control it waits for, what it learnt (see TeachState). */
  teach?: TeachState | null;
  /** Web pages asking to use Codette (POST /api/access), waiting for the user's Allow or Deny. */
  accessRequests?: PendingAccess[];
  /** Why the user's last answer to a page did not reach the server. */
  accessProblem?: string | null;
}

export interface TeachState {
  tabId: number;
  site: string;
  /** The control the page waits for the user to click, or null when done. */
  step: TeachControl | null;
  learnt: Partial<Record<TeachControl, string>>;
  /** After saving: did pressing the taught play button make the DAW play (and stop stop it)? */
  verified?: { play: boolean; stop: boolean };
  message?: string;
}

export type ToUi =
  | { type: 'snapshot'; snapshot: UiSnapshot }
  | { type: 'tick'; position: TransportPosition; revision: number }
  | { type: 'chat_delta'; id: string; delta: string }
  | { type: 'chat_session'; session: LocalChat }
  | { type: 'chat_sessions'; sessions: LocalChat[]; currentId: string | null };
