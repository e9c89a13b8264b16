import type { ChatRequestInput, ChatResponse, FeedbackRequest } from '../../../shared/schemas/chat';
import type { ChatHistory } from '../../lib/chat-history';
import type { ToUi } from '../../lib/messages';
import type { OutboxMessage } from '../../lib/outbox';

export interface ChatRelayDeps {
  history: ChatHistory;
  /** Stores the message in the outbox (resolves once stored) and sends it when the connection allows. */
  enqueue(message: OutboxMessage): Promise<void>;
  /** The outbox entry of an answered question leaves it (the reply is the server's acknowledgement). */
  answered(id: string): Promise<unknown>;
  post(message: ToUi): void;
  /** What the panel's snapshot shows changed (the outbox). */
  changed(): void;
  newId?: () => string;
}

/**
 * The chat between the panel, the kept chats and the server. A question is written once to storage.local: its chat
 * and its outbox entry are stored together (the store batches writes of one turn), before it may be sent; its reply
 * and the entry's removal go together too.
 */
export class ChatRelay {
  readonly #newId: () => string;

  constructor(private readonly d: ChatRelayDeps) {
    this.#newId = d.newId ?? (() => crypto.randomUUID());
  }

  async ask(chatId: string, request: ChatRequestInput): Promise<void> {
    const { history } = this.d;
    await history.load();
    const id = this.#newId();
    // The server creates sessions: the first question goes without session_id, later ones with the server's id.
    const serverSessionId = history.session(chatId)?.serverSessionId;
    const { session_id: _ignored, ...rest } = request;
    const message: OutboxMessage = {
      type: 'chat',
      id,
      request: serverSessionId ? { ...rest, session_id: serverSessionId } : rest,
    };
    const [session] = await Promise.all([history.addUser(chatId, id, request), this.d.enqueue(message)]);
    this.d.post({ type: 'chat_session', session });
    this.d.changed();
  }

  async reply(id: string, reply: ChatResponse): Promise<void> {
    const [session] = await Promise.all([this.d.history.addReply(id, reply), this.d.answered(id)]);
    if (session) this.d.post({ type: 'chat_session', session });
  }

  async rate(chatId: string, feedback: FeedbackRequest): Promise<void> {
    await this.d.enqueue({ type: 'feedback', id: this.#newId(), feedback });
    const session = await this.d.history.rate(chatId, feedback.message_id, feedback.rating);
    if (session) this.d.post({ type: 'chat_session', session });
    this.d.changed();
  }

  async newChat(): Promise<void> {
    await this.d.history.newSession();
    this.sendAll();
  }

  async select(chatId: string): Promise<void> {
    await this.d.history.select(chatId);
    this.sendAll();
  }

  /** Every kept chat, to every page (or to one through `post`). */
  sendAll(post: (message: ToUi) => void = (m) => this.d.post(m)): void {
    post({ type: 'chat_sessions', ...this.d.history.state });
  }
}
