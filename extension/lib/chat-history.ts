import type { ChatRequestInput, ChatResponse, FeedbackRequest } from '../../shared/schemas/chat';
import { LocalChat, type LocalChats } from '../../shared/schemas/extension';
import type { KeyValueStore } from './storage';

/**
 * The chats kept in storage.local (shared/schemas/extension.ts: LocalChat, LocalChatMessage), so that the last chat
 * comes back when the panel reopens. What is read back is parsed: a chat that no longer matches is left out.
 */
export const CHATS_STORAGE_KEY = 'codette.chats.v1';
const MAX_SESSIONS = 50;
const MAX_MESSAGES = 200;

export class ChatHistory {
  #state: LocalChats = { sessions: [], currentId: null };
  #loaded: Promise<void> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  load(): Promise<void> {
    this.#loaded ??= (async () => {
      const raw = (await this.store.get(CHATS_STORAGE_KEY)) as { sessions?: unknown; currentId?: unknown } | undefined;
      if (!raw || !Array.isArray(raw.sessions)) return;
      const sessions = raw.sessions.flatMap((s: unknown) => {
        const parsed = LocalChat.safeParse(s);
        return parsed.success ? [parsed.data] : [];
      });
      const currentId = typeof raw.currentId === 'string' ? raw.currentId : null;
      this.#state = { sessions, currentId };
    })();
    return this.#loaded;
  }

  get state(): LocalChats {
    return this.#state;
  }

  get current(): LocalChat | undefined {
    return this.#state.sessions.find((s) => s.id === this.#state.currentId);
  }

  session(id: string): LocalChat | undefined {
    return this.#state.sessions.find((s) => s.id === id);
  }

  async newSession(): Promise<LocalChat> {
    await this.load();
    const empty = this.current;
    if (empty && empty.messages.length === 0) return empty;
    const now = this.now();
    const session: LocalChat = { id: this.newId(), title: '', createdAt: now, updatedAt: now, messages: [] };
    this.#state.sessions.unshift(session);
    this.#state.sessions = this.#state.sessions.slice(0, MAX_SESSIONS);
    this.#state.currentId = session.id;
    await this.#save();
    return session;
  }

  async select(id: string): Promise<void> {
    await this.load();
    if (!this.session(id)) return;
    this.#state.currentId = id;
    await this.#save();
  }

  async addUser(sessionId: string, id: string, request: ChatRequestInput): Promise<LocalChat> {
    await this.load();
    let session = this.session(sessionId);
    if (!session) {
      session = { id: sessionId, title: '', createdAt: this.now(), updatedAt: this.now(), messages: [] };
      this.#state.sessions.unshift(session);
    }
    if (!session.messages.some((m) => m.id === id && m.role === 'user')) {
      session.messages.push({ id, role: 'user', text: request.message, at: this.now(), request });
      session.messages = session.messages.slice(-MAX_MESSAGES);
    }
    session.title ||= request.message.slice(0, 60);
    session.updatedAt = this.now();
    this.#state.currentId = session.id;
    await this.#save();
    return session;
  }

  /** Stores a reply for the user message with this client id; returns its session. */
  async addReply(id: string, reply: ChatResponse): Promise<LocalChat | undefined> {
    await this.load();
    const session = this.#state.sessions.find((s) => s.messages.some((m) => m.id === id && m.role === 'user'));
    if (!session) return undefined;
    if (!session.messages.some((m) => m.id === id && m.role === 'assistant')) {
      const at = session.messages.findIndex((m) => m.id === id && m.role === 'user');
      session.messages.splice(at + 1, 0, { id, role: 'assistant', text: reply.response, at: this.now(), reply });
    }
    session.serverSessionId = reply.session_id;
    session.updatedAt = this.now();
    await this.#save();
    return session;
  }

  async rate(sessionId: string, messageId: string, rating: FeedbackRequest['rating']): Promise<LocalChat | undefined> {
    await this.load();
    const session = this.session(sessionId);
    const msg = session?.messages.find((m) => m.role === 'assistant' && m.reply?.message_id === messageId);
    if (!session || !msg) return session;
    msg.rating = rating;
    await this.#save();
    return session;
  }

  #save(): Promise<void> {
    const snapshot = structuredClone(this.#state);
    this.#writing = this.#writing.then(() => this.store.set(CHATS_STORAGE_KEY, snapshot)).catch(() => undefined);
    return this.#writing;
  }
}
