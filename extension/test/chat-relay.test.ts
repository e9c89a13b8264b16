/** The chat between panel, kept chats and server, on the real connection, outbox, history and batched storage. */
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../shared/schemas/chat';
import { ChatRelay } from '../entrypoints/background/chat-relay';
import { CHATS_STORAGE_KEY, ChatHistory } from '../lib/chat-history';
import { ConnectionManager } from '../lib/connection';
import type { ToUi } from '../lib/messages';
import { OUTBOX_STORAGE_KEY, Outbox } from '../lib/outbox';
import { batchedStore, type StorageAreaLike } from '../lib/storage';
import { FakeClock, healthBody, settle, socketFactory } from './fakes';

/** storage.local as a map that counts its writes (one `set` call is one write, whatever the number of keys). */
function countingArea() {
  const data: Record<string, unknown> = {};
  const writes: string[][] = [];
  const area: StorageAreaLike = {
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      writes.push(Object.keys(items).sort());
      Object.assign(data, structuredClone(items));
    },
  };
  return { area, data, writes };
}

const SERVER_SESSION = '11111111-1111-4111-8111-111111111111';
const reply = (id: string): ChatResponse => ({
  response: `answer to ${id}`,
  perspective: 'mix_engineering',
  confidence: 0.8,
  sources: [],
  actions: [],
  follow_ups: [],
  session_id: SERVER_SESSION,
  message_id: `m-${id}`,
  engine: 'local',
});

async function setup() {
  const clock = new FakeClock();
  const sockets = socketFactory();
  const storage = countingArea();
  const store = batchedStore(storage.area);
  const outbox = new Outbox(store, clock.now);
  const history = new ChatHistory(store, clock.now);
  const posted: ToUi[] = [];
  let n = 0;
  const relay: ChatRelay = new ChatRelay({
    history,
    enqueue: (m) => manager.enqueue(m),
    answered: (id) => outbox.ack(id),
    post: (m) => posted.push(m),
    changed: () => undefined,
    newId: () => `q${++n}`,
  });
  const manager = new ConnectionManager({
    socket: sockets.factory,
    fetch: async () => new Response(JSON.stringify(healthBody()), { status: 200 }),
    clock,
    random: () => 0.5,
    outbox,
    config: async () => ({ serverUrl: 'http://127.0.0.1:8000', token: 'tok' }),
    onMessage: (msg) => void (msg.type === 'chat_reply' && relay.reply(msg.id, msg.reply)),
  });
  await outbox.load();
  manager.start();
  await settle();
  sockets.last().hello();
  await settle();
  return { relay, storage, socket: sockets.last(), posted, history };
}

const chatsSent = (sent: unknown[]) =>
  (sent as { type: string; id: string; request: { session_id?: string } }[]).filter((m) => m.type === 'chat');

describe('chat relay', () => {
  it('writes a question to storage.local once (its chat and its outbox entry together) before sending it', async () => {
    const { relay, storage, socket } = await setup();
    storage.writes.length = 0;
    await relay.ask('chat-1', { message: 'why is my kick muddy?' });
    await settle();
    expect(storage.writes).toEqual([[CHATS_STORAGE_KEY, OUTBOX_STORAGE_KEY].sort()]);
    expect(chatsSent(socket.sent).map((m) => m.id)).toEqual(['q1']);
  });

  it('writes the reply and the outbox removal once more: two writes a question, where there were four', async () => {
    const { relay, storage, socket, posted } = await setup();
    storage.writes.length = 0;
    await relay.ask('chat-1', { message: 'why is my kick muddy?' });
    await settle();
    socket.receive({ type: 'chat_reply', id: 'q1', reply: reply('q1') });
    socket.receive({ type: 'ack', id: 'q1', duplicate: false });
    await settle();
    expect(storage.writes).toHaveLength(2);
    expect(storage.writes[1]).toEqual([CHATS_STORAGE_KEY, OUTBOX_STORAGE_KEY].sort());
    expect(storage.data[OUTBOX_STORAGE_KEY]).toEqual([]);
    const kept = storage.data[CHATS_STORAGE_KEY] as { sessions: { messages: { role: string }[] }[] };
    expect(kept.sessions[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(posted.filter((m) => m.type === 'chat_session')).toHaveLength(2);
  });

  it("sends a chat's later questions with the server's session id, the first one without", async () => {
    const { relay, socket } = await setup();
    await relay.ask('chat-1', { message: 'first', session_id: '00000000-0000-4000-8000-000000000000' });
    await settle();
    socket.receive({ type: 'chat_reply', id: 'q1', reply: reply('q1') });
    await settle();
    await relay.ask('chat-1', { message: 'second' });
    await settle();
    expect(chatsSent(socket.sent).map((m) => m.request.session_id)).toEqual([undefined, SERVER_SESSION]);
  });

  it('reads kept chats back through their schema: a chat that no longer parses is left out', async () => {
    const storage = countingArea();
    storage.data[CHATS_STORAGE_KEY] = {
      currentId: 'good',
      sessions: [
        {
          id: 'good',
          title: 't',
          createdAt: 1,
          updatedAt: 2,
          messages: [{ id: 'a', role: 'user', text: 'hi', at: 1 }],
        },
        { id: 'bad', title: 't', createdAt: 1, updatedAt: 2, messages: [{ id: 'b', role: 'robot', text: 1 }] },
        'not a chat',
      ],
    };
    const history = new ChatHistory(batchedStore(storage.area));
    await history.load();
    expect(history.state.sessions.map((s) => s.id)).toEqual(['good']);
    expect(history.state.currentId).toBe('good');
  });
});
